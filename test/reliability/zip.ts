/**
 * A minimal ZIP reader for tests: lists the entries of an .xlsx (a ZIP) and inflates them, so the
 * raw XML can be scanned without an `unzip` binary.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/**
 * Every entry of a ZIP file: name → bytes (stored and deflated entries).
 *
 * @example readZip('cases.xlsx').get('xl/worksheets/sheet1.xml')!.toString('utf8')
 */
export function readZip(path: string): Map<string, Buffer> {
  const buf = readFileSync(path);
  // End of central directory: signature 0x06054b50 within the last 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${path}: not a ZIP file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${path}: bad central directory`);
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    out.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** All XML parts of an .xlsx under xl/ (sheets, shared strings), concatenated as text. */
export function xlsxXml(path: string): string {
  return [...readZip(path)]
    .filter(([name]) => name.startsWith('xl/') && name.endsWith('.xml'))
    .map(([, b]) => b.toString('utf8'))
    .join('\n');
}
