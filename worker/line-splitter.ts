import { StringDecoder } from 'node:string_decoder';

// A line with no newline in sight is handed over at this size rather than held in memory (the log cuts it).
const MAX_PENDING = 64 * 1024;

/** Turns a byte stream into lines (UTF-8, "\n" or "\r\n"), the last unterminated line included at end(). */
export class LineSplitter {
  private decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (this.pending.length > MAX_PENDING) {
      this.emit(this.pending);
      this.pending = '';
    }
  }

  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest) this.emit(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
  }
}
