import type { AnnotationLocation, Logger } from '../../src/logger.ts';

/** A Logger that keeps every line, so a test can read (and grep) what a person would have seen. */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; text: string }[] = [];

  debug(message: string): void {
    this.lines.push({ level: 'debug', text: message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', text: message });
  }
  warning(message: string, _location?: AnnotationLocation): void {
    this.lines.push({ level: 'warning', text: message });
  }
  error(message: string, _location?: AnnotationLocation): void {
    this.lines.push({ level: 'error', text: message });
  }
  untrusted(label: string, text: string): void {
    this.lines.push({ level: 'untrusted', text: `${label}: ${text}` });
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push({ level: 'group', text: name });
    return fn();
  }

  /** Everything logged, one entry a line. */
  text(): string {
    return this.lines.map((line) => line.text).join('\n');
  }
}
