import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync, openSync, readSync, closeSync, type Stats } from 'node:fs';
import { join, basename } from 'node:path';
import { InputError } from '../errors.js';
import { sourceOfFile, type SourceName } from './sources.js';

export interface DeliveryFile {
  path: string;
  name: string;
  source: SourceName;
  format: 'csv' | 'parquet' | 'xlsx' | 'xls';
  bytes: number;
}

/**
 * Lists the files of a delivery folder that belong to a contract source, sorted by name so the
 * load order (and therefore "later wins") is the same on every machine.
 */
export function discoverDelivery(dir: string): { files: DeliveryFile[]; ignored: string[] } {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    names = readdirSync(dir).sort();
  } catch {
    throw new InputError(dir, 'cannot read the delivery folder; check the path given to --input');
  }
  const files: DeliveryFile[] = [];
  const ignored: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let st: Stats;
    try {
      st = statSync(path);
    } catch {
      throw new InputError(path, 'cannot be read (removed while the folder was read, or a broken link); fix the delivery folder and run again');
    }
    if (!st.isFile()) continue;
    const source = sourceOfFile(name);
    if (!source) {
      if (!name.startsWith('.') && !/\.(md|json|txt)$/i.test(name)) ignored.push(name);
      continue;
    }
    const ext = name.toLowerCase().slice(name.lastIndexOf('.') + 1);
    files.push({ path, name: basename(path), source, format: ext === 'parquet' || ext === 'xlsx' || ext === 'xls' ? ext : 'csv', bytes: st.size });
  }
  return { files, ignored };
}

/** SHA-256 of a file's content, streamed. */
export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The first `n` bytes of a file. */
export function headBytes(path: string, n = 65536): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const read = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
