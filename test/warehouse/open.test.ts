import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../engine/warehouse/db.js';
import { openWarehouse } from '../../engine/warehouse/open.js';
import { openWorkspace } from '../../engine/warehouse/workspace.js';
import { tempDir } from '../helpers.js';

/**
 * Two files' worth of rows appended to one table, each committed and checkpointed as ingest does
 * (130,000 rows each: more than one row group of 122,880, so DuckDB writes them optimistically);
 * returns the rows of each row group of the table afterwards.
 */
async function appendTwoFiles(db: Db): Promise<number[]> {
  await db.exec(`create table raw_t (a varchar, b bigint)`);
  for (const k of [0, 1]) {
    await db.exec('begin transaction');
    await db.exec(
      `insert into raw_t select 'x' || (i * 7919 % 100003), i from range(${k * 1_000_000}, ${k * 1_000_000 + 130_000}) r(i)`,
    );
    await db.exec('commit');
    await db.exec('checkpoint');
  }
  const groups = await db.all<{ n: number }>(
    `select max(count)::bigint as n from pragma_storage_info('raw_t') group by row_group_id order by row_group_id`,
  );
  return groups.map((g) => g.n);
}

describe('openWarehouse (the run’s warehouse connection)', () => {
  it('checkpoints without compacting row groups: a file appended after another is not rewritten', async () => {
    const dir = tempDir();
    const db = await openWarehouse(openWorkspace(join(dir, 'ws')), { memoryLimit: '1GB', threads: 2 });
    try {
      // each file keeps its own row groups, the last one partly filled: nothing was written twice
      expect(await appendTwoFiles(db)).toEqual([122_880, 7_120, 122_880, 7_120]);
    } finally {
      db.close();
    }
  });

  it("gives freed memory back on DuckDB's allocator background thread (peak RSS at 200,000 persons, issue 18)", async () => {
    const dir = tempDir();
    const db = await openWarehouse(openWorkspace(join(dir, 'ws')), { memoryLimit: '1GB', threads: 2 });
    try {
      expect(await db.value(`select current_setting('allocator_background_threads')`)).toBe(true);
    } finally {
      db.close();
    }
    // (a plain connection keeps DuckDB's default)
    const plain = await openDb(join(dir, 'p.duckdb'));
    try {
      expect(await plain.value(`select current_setting('allocator_background_threads')`)).toBe(false);
    } finally {
      plain.close();
    }
  });

  it('(why: a default connection merges the first file’s partial row group with the second file’s rows)', async () => {
    const dir = tempDir();
    const db = await openDb(join(dir, 'w.duckdb'), { threads: 2 });
    try {
      expect(await appendTwoFiles(db)).toEqual([122_880, 122_880, 14_240]);
    } finally {
      db.close();
    }
  });
});
