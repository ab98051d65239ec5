import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';

/**
 * How shipgate talks to people while it runs. The Actions implementation writes workflow
 * commands (groups, annotations); the console one is for the CLI and the rehearsal.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, location?: AnnotationLocation): void;
  error(message: string, location?: AnnotationLocation): void;
  /** Logs text that came from outside (PR titles, branch names, comments) so it cannot act as a workflow command. */
  untrusted(label: string, text: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface AnnotationLocation {
  file: string;
  line?: number;
  column?: number;
  title?: string;
}

export class ActionsLogger implements Logger {
  debug(message: string): void {
    core.debug(message);
  }
  info(message: string): void {
    core.info(message);
  }
  warning(message: string, location?: AnnotationLocation): void {
    core.warning(message, toProperties(location));
  }
  error(message: string, location?: AnnotationLocation): void {
    core.error(message, toProperties(location));
  }
  untrusted(label: string, text: string): void {
    // Between ::stop-commands::TOKEN and ::TOKEN:: the runner treats `::warning::` and
    // `::add-mask::` as plain text. The token is fresh each time so the text cannot guess it.
    const token = randomUUID();
    core.info(`::stop-commands::${token}`);
    core.info(`${label}: ${text}`);
    core.info(`::${token}::`);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return core.group(name, fn);
  }
}

export class ConsoleLogger implements Logger {
  private readonly out: NodeJS.WritableStream;
  private readonly err: NodeJS.WritableStream;
  private readonly verbose: boolean;

  constructor(
    out: NodeJS.WritableStream = process.stdout,
    err: NodeJS.WritableStream = process.stderr,
    verbose = false,
  ) {
    this.out = out;
    this.err = err;
    this.verbose = verbose;
  }
  debug(message: string): void {
    if (this.verbose) this.out.write(`${message}\n`);
  }
  info(message: string): void {
    this.out.write(`${message}\n`);
  }
  warning(message: string, location?: AnnotationLocation): void {
    this.err.write(`warning: ${prefix(location)}${message}\n`);
  }
  error(message: string, location?: AnnotationLocation): void {
    this.err.write(`error: ${prefix(location)}${message}\n`);
  }
  untrusted(label: string, text: string): void {
    this.out.write(`${label}: ${JSON.stringify(text)}\n`);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.out.write(`── ${name}\n`);
    return fn();
  }
}

function toProperties(location?: AnnotationLocation): core.AnnotationProperties {
  if (!location) return {};
  return {
    file: location.file,
    startLine: location.line,
    startColumn: location.column,
    title: location.title,
  };
}

function prefix(location?: AnnotationLocation): string {
  if (!location) return '';
  return `${location.file}${location.line ? `:${location.line}` : ''}${location.column ? `:${location.column}` : ''}: `;
}
