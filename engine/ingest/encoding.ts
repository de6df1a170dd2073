import { isUtf8 } from 'node:buffer';
import { createReadStream, createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { InputError } from '../errors.js';

/** What the first bytes of a CSV say about its text encoding. */
export type HeadEncoding =
  | { kind: 'utf-8' }
  | { kind: 'bom'; encoding: 'utf-16le' | 'utf-16be' }
  | { kind: 'utf-16-no-bom' }
  | { kind: 'not-utf-8'; lines: number[] };

/**
 * Classifies the head of a file (first 64 KB): UTF-8 (BOM or not), UTF-16 by its BOM, UTF-16
 * without BOM (many NUL bytes), or not UTF-8. "Not UTF-8" means invalid UTF-8 in the header row
 * or on two or more lines: a legacy encoding garbles every accented letter, while one stray byte
 * on one row is a damaged row (rejected on its own, like a stray byte later in a big file).
 *
 * @example sniffEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00])) // { kind: 'bom', encoding: 'utf-16le' }
 */
export function sniffEncoding(head: Buffer, wholeFile = head.length < 65536): HeadEncoding {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { kind: 'bom', encoding: 'utf-16le' };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { kind: 'bom', encoding: 'utf-16be' };
  let nul = 0;
  for (let i = 0; i < Math.min(head.length, 4096); i++) if (head[i] === 0) nul++;
  if (nul > 0 && nul * 4 >= Math.min(head.length, 4096)) return { kind: 'utf-16-no-bom' };
  if (isUtf8(head)) return { kind: 'utf-8' };
  const bad: number[] = [];
  let start = 0;
  for (let line = 1; start < head.length; line++) {
    let end = head.indexOf(0x0a, start);
    // The last line of a cut head may end inside a multi-byte letter: judge only whole lines.
    if (end === -1) {
      if (!wholeFile) break;
      end = head.length;
    }
    if (!isUtf8(head.subarray(start, end))) bad.push(line);
    start = end + 1;
  }
  return bad.length >= 2 || bad[0] === 1 ? { kind: 'not-utf-8', lines: bad } : { kind: 'utf-8' };
}

/**
 * Refuses a file whose head is not UTF-8 and whose source names no encoding in the config, with a
 * message naming the file and the fix. Returns the encoding to convert from, or undefined for UTF-8.
 *
 * @example encodingToRead('bank_transactions_vcb.csv', head, 'bank_transactions', 'windows-1258') // 'windows-1258'
 */
export function encodingToRead(
  path: string,
  head: Buffer,
  source: string,
  configured: string | undefined,
  wholeFile?: boolean,
  warn: (message: string) => void = () => undefined,
): string | undefined {
  const sniffed = sniffEncoding(head, wholeFile);
  // A byte-order mark says what the file is, whatever the config expects of the source.
  if (sniffed.kind === 'bom') {
    if (configured) return sniffed.encoding;
    throw new InputError(
      path,
      `the file is UTF-16 (Excel "Unicode text"), not UTF-8; save it as "CSV UTF-8" or set "encoding": ` +
        `"utf-16le" in the config (ingest.sources.${source})`,
      1,
      undefined,
      { encoding: sniffed.encoding },
    );
  }
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return undefined;
  if (configured && !/^utf-?8$/i.test(configured)) {
    // Multi-byte UTF-8 sequences throughout the head do not happen by chance in a legacy code page:
    // decoding them as one would turn every accented letter into mojibake (Nhà → NhĂ ) and split
    // entities. Read the file as what it is, and say so.
    if (sniffed.kind === 'utf-8' && !/^utf-?16/i.test(configured) && head.some((b) => b >= 0x80)) {
      warn(
        `the config says "encoding": "${configured}" (ingest.sources.${source}), but the file is valid UTF-8; ` +
          `read as UTF-8: remove that setting if the source now delivers UTF-8`,
      );
      return undefined;
    }
    return configured;
  }
  if (sniffed.kind === 'utf-16-no-bom') {
    throw new InputError(
      path,
      `the file looks like UTF-16 without a byte-order mark, not UTF-8; save it as "CSV UTF-8" or set ` +
        `"encoding": "utf-16le" in the config (ingest.sources.${source})`,
      1,
      undefined,
      { encoding: 'utf-16le' },
    );
  }
  if (sniffed.kind === 'not-utf-8') {
    const lines = sniffed.lines.slice(0, 5).join(', ') + (sniffed.lines.length > 5 ? ', …' : '');
    throw new InputError(
      path,
      `the file is not UTF-8 (invalid bytes on line ${lines} of its first 64 KB); save it as "CSV UTF-8" or ` +
        `name its encoding in the config, e.g. "encoding": "windows-1258" (ingest.sources.${source})`,
      sniffed.lines[0],
      undefined,
      { encoding: 'windows-1258' },
    );
  }
  return undefined;
}

/**
 * Streams a file in another encoding into a UTF-8 copy (letters NFC-composed) in a new folder
 * under `tmpDir` and returns the copy's path (the caller removes the folder). Line breaks and
 * quotes are kept, so line numbers in the copy are those of the original.
 *
 * @example const utf8 = await convertToUtf8('bank_transactions_vcb.csv', 'windows-1258', ws.tmpDir);
 */
export async function convertToUtf8(path: string, encoding: string, tmpDir = tmpdir()): Promise<string> {
  const dir = mkdtempSync(join(tmpDir, 'sangloc-utf8-'));
  const out = join(dir, basename(path));
  await pipeline(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    iconv.decodeStream(encoding),
    composeToUtf8(),
    createWriteStream(out),
  );
  return out;
}

/**
 * Text → NFC-composed UTF-8 bytes. Windows-1258 writes Vietnamese tone marks as separate combining
 * characters (`ê` + U+0303); composed, `ễ` matches what UTF-8 deliveries carry. The last letter of a
 * chunk waits for the next one, which may begin with its marks.
 */
function composeToUtf8(): Transform {
  let carry = '';
  return new Transform({
    readableObjectMode: false,
    writableObjectMode: true,
    transform(chunk: string, _enc, done) {
      const text = carry + chunk;
      let i = text.length - 1;
      while (i > 0 && /\p{M}/u.test(text[i]!)) i--;
      if (i > 0 && text.charCodeAt(i) >= 0xdc00 && text.charCodeAt(i) <= 0xdfff) i--;
      carry = text.slice(Math.max(i, 0));
      done(null, Buffer.from(text.slice(0, Math.max(i, 0)).normalize('NFC'), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(carry.normalize('NFC'), 'utf8'));
    },
  });
}

/**
 * Copies a CSV with every `\r\n` written `\n` into `dir` and returns the copy's path: DuckDB's reader
 * refuses a file whose lines end both ways (an LF export with a CRLF line or CRLF blank lines
 * appended, a CRLF file with `\n\n` at its end) whole, with "the CSV Parser state machine reached an
 * invalid state". Every line keeps its number, so rejects name the delivered file's lines; a
 * `\r\n` inside a quoted value becomes `\n` too.
 *
 * @example const lf = await normalizeLineEndings('cod_shipments_ghn.csv', tmp); // tmp/lf-cod_shipments_ghn.csv
 */
export async function normalizeLineEndings(path: string, dir: string): Promise<string> {
  const out = join(dir, `lf-${basename(path)}`);
  let carry = false; // the previous chunk ended with `\r`
  await pipeline(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        // latin1 maps bytes to characters one to one: the UTF-8 bytes pass through unchanged.
        let text = (carry ? '\r' : '') + chunk.toString('latin1');
        carry = text.endsWith('\r');
        if (carry) text = text.slice(0, -1);
        done(null, Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1'));
      },
      flush(done) {
        done(null, carry ? Buffer.from('\r', 'latin1') : undefined);
      },
    }),
    createWriteStream(out),
  );
  return out;
}
