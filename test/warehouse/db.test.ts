import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../engine/warehouse/db.js';

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(':memory:', { threads: 1 });
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

const tables = (db: Db) =>
  db
    .all<{ name: string }>(`select table_name as name from information_schema.tables order by 1`)
    .then((r) => r.map((t) => t.name));

describe('Db.appendRows', () => {
  it('appends every row, across data chunks, with nulls, in order', async () => {
    await withDb(async (db) => {
      await db.exec('create table t (id bigint, label varchar, score double)');
      const n = 5000; // more than two chunks of 2,048
      const appended = await db.appendRows(
        't',
        (function* () {
          for (let i = 0; i < n; i++) yield [BigInt(i), i % 7 === 0 ? null : `r${i}`, i / 4];
        })(),
      );
      expect(appended).toBe(n);
      const s = await db.one<{ n: number; nulls: number; sum: number; outOfOrder: number }>(
        `select count(*)::bigint as n, count(*) filter (where label is null)::bigint as nulls, sum(id)::bigint as sum,
                count(*) filter (where id <> rowid)::bigint as "outOfOrder" from t`,
      );
      expect(s).toEqual({ n, nulls: Math.ceil(n / 7), sum: (n * (n - 1)) / 2, outOfOrder: 0 });
      expect(await db.all('select * from t where id in (1, 4096) order by id')).toEqual([
        { id: 1, label: 'r1', score: 0.25 },
        { id: 4096, label: 'r4096', score: 1024 },
      ]);
    });
  });

  it('appends nothing from no rows', async () => {
    await withDb(async (db) => {
      await db.exec('create table t (id bigint)');
      expect(await db.appendRows('t', [])).toBe(0);
      expect(await db.value('select count(*)::int from t')).toBe(0);
    });
  });

  it('refuses a row of the wrong width, naming the table', async () => {
    await withDb(async (db) => {
      await db.exec('create table pairs (a bigint, b bigint)');
      await expect(db.appendRows('pairs', [[1n, 2n, 'x']])).rejects.toThrow(
        'appendRows: pairs has 2 columns, a row has 3 values',
      );
    });
  });
});

describe('Db.appender', () => {
  it('takes rows one by one (a parser callback) and appends them all on close', async () => {
    await withDb(async (db) => {
      await db.exec('create table t (id bigint, label varchar)');
      const app = await db.appender('t');
      for (let i = 0; i < 2049; i++) app.append([BigInt(i), i === 5 ? null : `r${i}`]);
      expect(app.close()).toBe(2049);
      expect(() => app.append([1n, 'late'])).toThrow('appender of t: already closed');
      expect(await db.one('select count(*)::int as n, count(label)::int as labelled, max(id) as top from t')).toEqual({
        n: 2049,
        labelled: 2048,
        top: 2048,
      });
    });
  });

  it('abandon after a failure raises nothing more', async () => {
    await withDb(async (db) => {
      await db.exec('create table t (id bigint)');
      const app = await db.appender('t');
      expect(() => app.append([1n, 2n])).toThrow('appendRows: t has 1 columns, a row has 2 values');
      expect(() => app.abandon()).not.toThrow();
      expect(() => app.abandon()).not.toThrow();
    });
  });
});

describe('Db.withWorkTables', () => {
  it('drops the work tables after the work, keeping its result and other tables', async () => {
    await withDb(async (db) => {
      await db.exec('create table kept (x int)');
      const n = await db.withWorkTables(async (work) => {
        await db.exec('create table w1 as select 1 as x');
        work.push('w1');
        await db.exec('create temp table w2 as select * from w1');
        work.push('w2');
        return db.value<number>('select count(*)::int from w2');
      });
      expect(n).toBe(1);
      expect(await tables(db)).toEqual(['kept']);
    });
  });

  it('drops them when the work fails, and reports the work’s own error', async () => {
    await withDb(async (db) => {
      await expect(
        db.withWorkTables(async (work) => {
          await db.exec('create table w1 as select 1 as x');
          work.push('w1');
          work.push('w_never_created');
          await db.exec('select * from no_such_table');
        }),
      ).rejects.toThrow(/no_such_table/);
      expect(await tables(db)).toEqual([]);
    });
  });

  it('a drop failing after failed work neither hides the work’s error nor stops the other drops', async () => {
    await withDb(async (db) => {
      await db.exec('create view v as select 1 as x'); // `drop table` refuses a view
      await expect(
        db.withWorkTables(async (work) => {
          await db.exec('create table w1 as select 1 as x');
          work.push('w1', 'v');
          await db.exec('select * from no_such_table');
        }),
      ).rejects.toThrow(/no_such_table/);
      expect(await tables(db)).toEqual(['v']);
    });
  });

  it('a drop failing after successful work is reported', async () => {
    await withDb(async (db) => {
      await db.exec('create view v as select 1 as x');
      await expect(db.withWorkTables(async (work) => void work.push('v'))).rejects.toThrow(/View/);
    });
  });

  it('keeps them when asked (for inspection)', async () => {
    await withDb(async (db) => {
      await db.withWorkTables(
        async (work) => {
          await db.exec('create table w1 as select 1 as x');
          work.push('w1');
        },
        { keep: true },
      );
      expect(await tables(db)).toEqual(['w1']);
    });
  });
});
