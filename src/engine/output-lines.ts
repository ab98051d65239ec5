/**
 * Turns chunks of a stream into lines. A line longer than `maxLineLength` is passed on in pieces
 * so that output without newlines cannot grow memory without bound.
 */
export class LineSplitter {
  private partial = '';
  private readonly onLine: (line: string) => void;
  private readonly maxLineLength: number;

  constructor(onLine: (line: string) => void, maxLineLength = 16 * 1024) {
    this.onLine = onLine;
    this.maxLineLength = maxLineLength;
  }

  write(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
    while (this.partial.length > this.maxLineLength) {
      this.onLine(this.partial.slice(0, this.maxLineLength));
      this.partial = this.partial.slice(this.maxLineLength);
    }
  }

  /** Passes on what is left after the last newline. */
  end(): void {
    if (this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }
}
