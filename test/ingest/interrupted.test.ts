import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDelivery } from '../../engine/ingest/load.js';
import { silentLogger } from '../../engine/log.js';
import { packageRoot } from '../../engine/paths.js';
import { openDb, type Db } from '../../engine/warehouse/db.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const header = 'carrier,waybill,sender_name,picked_up_on,cod_amount,status,sender_phone';
/** Two files; the second has a reject and a warning-free row mix so every table of a load is written. */
function delivery(root: string): string {
  const rows = (carrier: string, n: number) =>
    Array.from(
      { length: n },
      (_, i) => `${carrier},W${i},An,2026-11-02,${i === 7 ? '-1' : '1000'},delivered,0912345678`,
    ).join('\n');
  return writeFiles(join(root, 'delivery'), {
    'cod_shipments_a.csv': `${header}\n${rows('ghn', 50)}\n`,
    'cod_shipments_b.csv': `${header}\n${rows('vtp', 20_000)}\n`,
  });
}

/** What the warehouse holds of the second file (its rows, rejects, ledger row). */
async function traces(db: Db) {
  return {
    rows: await db.value<number>(`select count(*)::int from raw_cod_shipments where carrier = 'vtp'`),
    rejects: await db.value<number>(
      `select count(*)::int from rejects where file = 'cod_shipments_b.csv' and line is not null`,
    ),
    loadedLedger: await db.value<number>(
      `select count(*)::int from ingest_files where name = 'cod_shipments_b.csv' and status = 'loaded'`,
    ),
  };
}

describe('a load interrupted mid-file leaves nothing of that file, and the next load succeeds', () => {
  it('an error before the commit (in-process): the file is reported failed, its rows rolled back', async () => {
    const dir = delivery(tempDir());
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, {
        runId: 'r1',
        log: silentLogger(),
        beforeCommit: (file) => {
          if (file.name === 'cod_shipments_b.csv') throw new Error('disk full');
        },
      });
      expect(s.files.map((f) => [f.file, f.status])).toEqual([
        ['cod_shipments_a.csv', 'loaded'],
        ['cod_shipments_b.csv', 'failed'],
      ]);
      expect(s.files[1]!.message).toMatch(/disk full/);
      expect(await traces(db)).toEqual({ rows: 0, rejects: 0, loadedLedger: 0 });
      expect(await db.value<number>(`select count(*)::int from raw_cod_shipments`)).toBe(49);

      const again = await loadDelivery(db, dir, { runId: 'r2', log: silentLogger() });
      expect(again.files.map((f) => [f.file, f.status])).toEqual([
        ['cod_shipments_a.csv', 'skipped'],
        ['cod_shipments_b.csv', 'loaded'],
      ]);
      expect(await traces(db)).toEqual({ rows: 19_999, rejects: 1, loadedLedger: 1 });
    });
  });

  it('a process killed (SIGKILL) mid-file on a file-backed warehouse', async () => {
    const root = tempDir();
    const dir = delivery(root);
    const warehouse = join(root, 'warehouse.duckdb');
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(packageRoot, 'test', 'ingest', 'interrupted-child.ts'),
        warehouse,
        dir,
        'cod_shipments_b.csv',
      ],
      {
        cwd: packageRoot,
        encoding: 'utf8',
        env: { ...process.env, TZ: 'Asia/Ho_Chi_Minh' },
      },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toMatch(/uncommitted rows: 19999/);

    const db = await openDb(warehouse);
    try {
      // The first file committed before the kill; nothing of the second survived.
      expect(await db.value<number>(`select count(*)::int from raw_cod_shipments where carrier = 'ghn'`)).toBe(49);
      expect(await traces(db)).toEqual({ rows: 0, rejects: 0, loadedLedger: 0 });
      const s = await loadDelivery(db, dir, { runId: 'next', log: silentLogger() });
      expect(s.files.map((f) => [f.file, f.status])).toEqual([
        ['cod_shipments_a.csv', 'skipped'],
        ['cod_shipments_b.csv', 'loaded'],
      ]);
      expect(s.files[1]).toMatchObject({ rowsRead: 20_000, rowsLoaded: 19_999, rowsRejected: 1 });
      expect(await traces(db)).toEqual({ rows: 19_999, rejects: 1, loadedLedger: 1 });
    } finally {
      db.close();
    }
  }, 60_000);
});
