import { createHash } from 'node:crypto';
import {
  createReadStream,
  lstatSync,
  readdirSync,
  realpathSync,
  statSync,
  openSync,
  readSync,
  closeSync,
  type Stats,
} from 'node:fs';
import { join, basename, sep } from 'node:path';
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
 *
 * Only regular files are read. A symbolic link is followed only when it stays inside the folder
 * (a link to `/etc/…` would put another file's text into rejects.csv); a link leaving it, a FIFO,
 * a device or a socket named like a source file refuses the delivery (InputError naming it). A
 * folder named like a source file is skipped with a warning in `skipped`, as is any other entry
 * that is not a regular file.
 *
 * @example discoverDelivery('data-samples').files.map((f) => f.source) // ['bank_transactions', …]
 */
export function discoverDelivery(dir: string): { files: DeliveryFile[]; ignored: string[]; skipped: string[] } {
  let names: string[];
  let realDir: string;
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    names = readdirSync(dir).sort();
    realDir = realpathSync(dir);
  } catch {
    throw new InputError(dir, 'cannot read the delivery folder; check the path given to --input');
  }
  const files: DeliveryFile[] = [];
  const ignored: string[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const source = sourceOfFile(name);
    let st: Stats;
    try {
      st = lstatSync(path);
      if (st.isSymbolicLink()) {
        const target = realpathSync(path);
        if (target !== realDir && !target.startsWith(realDir + sep)) {
          if (source) {
            throw new InputError(
              path,
              'is a symbolic link to a file outside the delivery folder; such links are not followed (one could ' +
                'expose any file the batch can read): copy the file itself into the folder',
            );
          }
          skipped.push(`${name}: a symbolic link leaving the delivery folder; not followed`);
          continue;
        }
        st = statSync(path);
      }
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(
        path,
        'cannot be read (removed while the folder was read, or a broken link); fix the delivery folder and run again',
      );
    }
    if (!st.isFile()) {
      if (name.startsWith('.')) continue;
      if (st.isDirectory()) {
        skipped.push(
          source
            ? `${name}: a folder named like a ${source} file; nothing inside it is read: put its files in the ` +
                `delivery folder itself`
            : `${name}: a folder; sub-folders of a delivery are not read`,
        );
        continue;
      }
      const kind = st.isFIFO()
        ? 'a FIFO (named pipe)'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
      if (source)
        throw new InputError(
          path,
          `is ${kind}, not a regular file; refused (reading it could block or never end): deliver the data as a ` +
            `regular file`,
        );
      skipped.push(`${name}: ${kind}, not a regular file; not read`);
      continue;
    }
    if (!source) {
      if (!name.startsWith('.') && !/\.(md|json|txt)$/i.test(name)) ignored.push(name);
      continue;
    }
    const ext = name.toLowerCase().slice(name.lastIndexOf('.') + 1);
    files.push({
      path,
      name: basename(path),
      source,
      format: ext === 'parquet' || ext === 'xlsx' || ext === 'xls' ? ext : 'csv',
      bytes: st.size,
    });
  }
  return { files, ignored, skipped };
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
