/**
 * Issue 13 items 8 and 16: what a delivery folder may hold besides regular files. Injected: a
 * symbolic link named like a source file pointing at a secrets file outside the folder, a link to
 * a device, a FIFO, a folder named like a source file, and a link that stays inside the folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../engine/errors.js';
import { loadDelivery } from '../../engine/ingest/load.js';
import { createLogger } from '../../engine/log.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const TAXPAYERS = 'tax_id,name\n0100109106,Nhà sách Mít\n';
const SECRET = 'DB_PASSWORD=s3cr3t-hunter2';

function memoryLogger() {
  const lines: string[] = [];
  return Object.assign(createLogger({ write: (l) => lines.push(l) }), { lines });
}

/** A delivery with a good registry plus `extra(dir)`; the load's error (if any), log and rejects. */
async function loadWith(extra: (dir: string, root: string) => void) {
  const root = tempDir();
  const dir = writeFiles(join(root, 'delivery'), { 'taxpayers.csv': TAXPAYERS });
  writeFileSync(join(root, 'secrets.env'), `${SECRET}\nAPI_KEY=abc\n`);
  extra(dir, root);
  const log = memoryLogger();
  return withDb(async (db) => {
    let error: unknown;
    try {
      await loadDelivery(db, dir, { runId: 'r', log, tmpDir: root });
    } catch (err) {
      error = err;
    }
    const rejects = (await db.tableExists('rejects')) ? JSON.stringify(await db.all(`select * from rejects`)) : '';
    return { error, log: log.lines.join('\n'), rejects };
  });
}

describe('item 8: only regular files inside the delivery folder are read', () => {
  it('a link named like a source file pointing outside the folder refuses the delivery; the target is never read', async () => {
    const r = await loadWith((dir, root) => symlinkSync(join(root, 'secrets.env'), join(dir, 'cod_shipments_x.csv')));
    expect(r.error).toBeInstanceOf(InputError);
    expect((r.error as Error).message).toMatch(
      /cod_shipments_x\.csv: is a symbolic link to a file outside the delivery folder; .*copy the file itself into the folder/,
    );
    expect(r.rejects + r.log + (r.error as Error).message).not.toContain('s3cr3t');
  });

  it('a link to a device (/dev/zero) named like a source file is refused', async () => {
    const r = await loadWith((dir) => symlinkSync('/dev/zero', join(dir, 'bank_transactions_x.csv')));
    expect((r.error as Error).message).toMatch(
      /bank_transactions_x\.csv: is a symbolic link to a file outside the delivery folder/,
    );
  });

  it('a FIFO named like a source file is refused at once (never opened, so nothing blocks)', async () => {
    const r = await loadWith((dir) => execFileSync('mkfifo', [join(dir, 'cod_shipments_pipe.csv')]));
    expect(r.error).toBeInstanceOf(InputError);
    expect((r.error as Error).message).toMatch(
      /cod_shipments_pipe\.csv: is a FIFO \(named pipe\), not a regular file; refused/,
    );
  });

  it('a link staying inside the folder is followed as before', async () => {
    const r = await loadWith((dir) => {
      mkdirSync(join(dir, 'archive'));
      writeFileSync(
        join(dir, 'archive', 'ghn.csv'),
        'carrier,waybill,picked_up_on,cod_amount\nghn,W1,2025-03-01,100000\n',
      );
      symlinkSync(join('archive', 'ghn.csv'), join(dir, 'cod_shipments_ghn.csv'));
    });
    expect(r.error).toBeUndefined();
    expect(r.log).toMatch(/cod_shipments_ghn\.csv: 1 rows read, 1 loaded/);
  });
});

describe('item 16: a folder named like a source file is said, not skipped silently', () => {
  it('warns naming the folder and what to do', async () => {
    const r = await loadWith((dir) => writeFiles(join(dir, 'cod_shipments_2026-11.csv'), { 'part-1.csv': 'x\n' }));
    expect(r.error).toBeUndefined();
    expect(r.log).toContain(
      'sangloc: warning: skipped cod_shipments_2026-11.csv: a folder named like a cod_shipments file; nothing inside it is read',
    );
  });

  it('a FIFO with a name of no source is not opened, and said', async () => {
    const r = await loadWith((dir) => execFileSync('mkfifo', [join(dir, 'notes.pipe')]));
    expect(r.error).toBeUndefined();
    expect(r.log).toContain('skipped notes.pipe: a FIFO (named pipe), not a regular file; not read');
  });
});
