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

/** Chunk size (bytes) at which a sink hands its buffer to the stream. */
export const CHUNK_BYTES = 1 << 20;

/**
 * A CSV file being written: `add()` encodes a line straight into a ~1 MB byte buffer (so line
 * strings die young and cost the garbage collector nothing), `flush()` hands full buffers to
 * the file stream and waits for it to drain when it is behind.
 *
 * @example const s = new CsvSink('out/x.csv', ['a', 'b']); s.add(csvLine([1, 2])); await s.close();
 */
export class CsvSink {
  rows = 0;
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private off = 0;
  private readonly full: Buffer[] = [];
  private readonly stream: WriteStream;
  private failed: Error | undefined;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.stream = createWriteStream(path, { highWaterMark: CHUNK_BYTES });
    this.stream.on('error', (err) => (this.failed = err));
    this.put(csvLine(header));
  }

  add(line: string): void {
    this.put(line);
    this.rows++;
  }

  private put(line: string): void {
    const need = line.length * 3 + 1;
    if (this.off + need > this.buf.length) {
      if (this.off > 0) this.full.push(this.buf.subarray(0, this.off));
      this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, need));
      this.off = 0;
    }
    this.off += this.buf.write(line, this.off, 'utf8');
    this.buf[this.off++] = 10;
  }

  /** Writes full chunks (and the open one if it holds at least `min` bytes); awaits drain on backpressure. */
  async flush(min = CHUNK_BYTES): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.off > 0 && this.off >= min) {
      this.full.push(this.buf.subarray(0, this.off));
      this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
      this.off = 0;
    }
    while (this.full.length > 0) {
      if (!this.stream.write(this.full.shift()!)) await once(this.stream, 'drain');
    }
  }

  async close(): Promise<void> {
    await this.flush(1);
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.failed) throw this.failed;
  }
}
