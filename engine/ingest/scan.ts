import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Where a CSV record's physical line drifts from its record number: every record from
 * `afterRecord + 1` on starts `extraLines` lines later than its record number says (record 1 is the
 * header). Sparse: one entry after each record holding a quoted line break or followed by empty
 * lines (DuckDB skips those without counting them).
 */
export interface LineDrift {
  afterRecord: number;
  extraLines: number;
}

export interface CsvScan {
  /** SHA-256 of the bytes, when asked for. */
  sha256?: string;
  bytes: number;
  /** Records (header included) as RFC 4180 counts them: line breaks outside quotes, plus a last unterminated line. */
  records: number;
  /** Physical lines. */
  lines: number;
  /** Line breaks inside quoted fields; 0 means record number = line number throughout. */
  quotedNewlines: number;
  drift: LineDrift[];
  /** Line breaks outside quotes written `\r\n` and `\n` alone (empty lines included): both > 0 is a file of mixed
   * line endings, which DuckDB's reader refuses whole (normalizeLineEndings). */
  crlfBreaks: number;
  lfBreaks: number;
}

const LF = 0x0a;
const CR = 0x0d;
const CHUNK = 1 << 20;

/**
 * Reads a CSV file once in 1 MB chunks and maps record numbers to physical lines: DuckDB numbers a
 * CSV row by its record, so after a quoted field that spans lines every later row would name the
 * wrong line. Optionally hashes the same bytes, so the file is read once for both.
 *
 * Quote state follows RFC 4180 with `"` as quote and `""` as escape (an escaped quote toggles the
 * state twice and so changes nothing). A lone `\r` is not a line break (DuckDB agrees for `\r\n`
 * files). Empty lines outside quotes start no record, as in DuckDB's reader.
 *
 * @example
 *   const s = scanCsv('cod_shipments.csv', { hash: true });
 *   // s.drift = [{ afterRecord: 3, extraLines: 1 }]: record 5 starts on line 6
 */
export function scanCsv(path: string, options: { hash?: boolean; quote?: string; escape?: string } = {}): CsvScan {
  const hash = options.hash ? createHash('sha256') : undefined;
  const QUOTE = (options.quote ?? '"').charCodeAt(0);
  // An escape other than the quote itself (`\"`) hides the quote after it; a doubled quote toggles twice.
  const ESCAPE =
    options.escape !== undefined && options.escape !== (options.quote ?? '"') ? options.escape.charCodeAt(0) : -1;
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let inQuotes = false;
  let records = 1; // the record being read (1-based)
  let quotedNewlines = 0;
  let lines = 1;
  let bytes = 0; // bytes before the current chunk, then the total
  let recordStart = 0; // offset of the current record's first byte
  let prevByte = -1; // last byte of the previous chunk
  const drift: LineDrift[] = [];
  let offset = 0; // start line − record number of the current record
  let crlfBreaks = 0;
  let lfBreaks = 0;
  // Called when record `records` starts on line `lines`: a change of offset is a drift entry.
  const started = () => {
    if (lines - records === offset) return;
    offset = lines - records;
    const last = drift[drift.length - 1];
    if (last && last.afterRecord === records - 1) last.extraLines = offset;
    else drift.push({ afterRecord: records - 1, extraLines: offset });
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      if (hash) hash.update(n === CHUNK ? buf : buf.subarray(0, n));
      let i = 0;
      // Next line break at or after i (cached: quoted fields are many per line, line breaks few).
      let nl = buf.indexOf(LF, 0);
      if (nl >= n) nl = -1;
      while (i < n) {
        let q = buf.indexOf(QUOTE, i);
        if (q === -1 || q >= n) q = n;
        while (nl !== -1 && nl < q) {
          lines++;
          if (inQuotes) quotedNewlines++;
          else {
            // DuckDB skips empty lines (LF or CR LF alone): they start no record.
            const length = bytes + nl - recordStart;
            const before = nl > 0 ? buf[nl - 1] : prevByte;
            if (before === CR) crlfBreaks++;
            else lfBreaks++;
            if (!(length === 0 || (length === 1 && before === CR))) records++;
            recordStart = bytes + nl + 1;
            started();
          }
          nl = buf.indexOf(LF, nl + 1);
          if (nl >= n) nl = -1;
        }
        // A quote opens a field, closes it, or (doubled inside quotes) toggles out and straight back in.
        if (q < n && !(inQuotes && ESCAPE !== -1 && escaped(buf, q, ESCAPE, prevByte))) inQuotes = !inQuotes;
        i = q + 1;
      }
      prevByte = buf[n - 1]!;
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  // A final line break ends the last line (and record, outside quotes) rather than starting an empty one.
  if (prevByte === LF) {
    lines--;
    if (!inQuotes) records--;
  }
  if (bytes === 0) {
    records = 0;
    lines = 0;
  }
  return { sha256: hash?.digest('hex'), bytes, records, lines, quotedNewlines, drift, crlfBreaks, lfBreaks };
}

/** Whether the byte at `q` follows an odd run of escape bytes (the run may start in the previous chunk: its last
 * byte). */
function escaped(buf: Buffer, q: number, escapeByte: number, prevByte: number): boolean {
  let run = 0;
  let k = q - 1;
  while (k >= 0 && buf[k] === escapeByte) {
    run++;
    k--;
  }
  if (k < 0 && prevByte === escapeByte) run++;
  return run % 2 === 1;
}

/** The physical start line of record `record` (1-based, header = 1) under `drift`. */
export function lineOfRecord(record: number, drift: readonly LineDrift[]): number {
  let lo = 0;
  let hi = drift.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (drift[mid]!.afterRecord < record) lo = mid + 1;
    else hi = mid;
  }
  return record + (lo > 0 ? drift[lo - 1]!.extraLines : 0);
}
