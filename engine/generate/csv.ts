/**
 * Streaming CSV output: lines are built as strings, gathered into ~1 MB chunks and written
 * through a file stream that is awaited when it asks for backpressure, so memory stays flat
 * however many rows a world has.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const needsQuote = /[",\r\n]/;

/**
 * One CSV field per RFC 4180: quoted only when it holds a quote, comma or line break.
 *
 * @example csvField('a "b", c') // '"a ""b"", c"'
 * @example csvField(1250000)     // '1250000'
 */
export function csvField(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return String(v);
  return needsQuote.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A CSV line (without the newline) from fields. */
export function csvLine(fields: ReadonlyArray<string | number | undefined | null>): string {
  let s = csvField(fields[0]);
  for (let i = 1; i < fields.length; i++) s += ',' + csvField(fields[i]);
  return s;
}

/** Chunk size at which a sink hands its buffer to the stream. */
export const CHUNK_CHARS = 1 << 20;

/**
 * A CSV file being written: `add()` buffers a line, `flush()` writes when the buffer is full
 * and waits for the stream to drain if it is behind.
 *
 * @example const s = new CsvSink('out/x.csv', ['a', 'b']); s.add(csvLine([1, 2])); await s.close();
 */
export class CsvSink {
  rows = 0;
  private buf: string;
  private readonly stream: WriteStream;
  private failed: Error | undefined;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.stream = createWriteStream(path, { encoding: 'utf8', highWaterMark: CHUNK_CHARS });
    this.stream.on('error', (err) => (this.failed = err));
    this.buf = csvLine(header) + '\n';
  }

  add(line: string): void {
    this.buf += line + '\n';
    this.rows++;
  }

  /** Writes the buffer if it is at least `min` characters; awaits drain on backpressure. */
  async flush(min = CHUNK_CHARS): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.buf.length < min || this.buf.length === 0) return;
    const chunk = this.buf;
    this.buf = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush(0);
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.failed) throw this.failed;
  }
}
