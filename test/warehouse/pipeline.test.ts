import { describe, expect, it } from 'vitest';
import {
  orderModels,
  readModels,
  runModels,
  setVariables,
  workModels,
  type Model,
} from '../../engine/warehouse/pipeline.js';
import { unionFind } from '../../engine/resolve/exact.js';
import { withDb } from '../helpers.js';
import { silentLogger } from '../../engine/log.js';

describe('SQL models', () => {
  const models = readModels();

  it('every model states its grain on the first line and ends with select * from final', () => {
    for (const m of models) {
      expect(m.grain, m.file).toMatch(/^one row per /);
      expect(m.sql.trim(), m.file).toMatch(/select \* from final( order by [a-z_, ]+)?$/);
    }
  });

  it('staging models read only their raw table (no other table joined, no aggregation but the restatement lookup)', () => {
    for (const m of models.filter((x) => x.layer === 'staging')) {
      expect(m.deps, m.name).toEqual([]);
      // (but the restatement lookup: the hashes of keys seen twice, one small aggregate; sp18)
      expect(m.sql.replace(/ group by h having count\(\*\) > 1\b/g, ''), m.name).not.toMatch(/\bgroup by\b/);
      // a join may only bring back the model's own raw table (the restated rows left out)
      const raw = m.name.replace(/^stg_/, 'raw_');
      const sql = m.sql.replace(/--[^\n]*/g, '');
      const ctes = new Set([...sql.matchAll(/\b([a-z_]+) as \(/g)].map((x) => x[1]!));
      for (const [, table] of sql.matchAll(/\b(?:from|join)\s+([a-z_]+)/g))
        expect(table === raw || ctes.has(table!), `${m.name} reads ${table}`).toBe(true);
    }
  });

  it('orders models after their dependencies', () => {
    const order = orderModels(models).map((m) => m.name);
    for (const m of models)
      for (const d of m.deps) expect(order.indexOf(d), `${d} before ${m.name}`).toBeLessThan(order.indexOf(m.name));
  });

  it('reports a dependency cycle', () => {
    const fake = (name: string, deps: string[]): Model => ({
      name,
      deps,
      layer: 'intermediate',
      file: name,
      sql: '',
      grain: '',
    });
    expect(() => orderModels([fake('int_a', ['int_b']), fake('int_b', ['int_a'])])).toThrow(/cycle/);
  });

  it('materialises models with bound variables, naming the file on error', async () => {
    await withDb(async (db) => {
      await setVariables(db, { tax_year: 2025 });
      const m: Model = {
        name: 'int_x',
        layer: 'intermediate',
        file: 'x',
        deps: [],
        grain: '',
        sql: `select getvariable('tax_year') as y`,
      };
      await runModels(db, () => true, undefined, [m]);
      expect(await db.value('select y from int_x')).toBe(2025);
      const bad: Model = { ...m, name: 'int_bad', sql: 'select * from nowhere' };
      await expect(runModels(db, () => true, undefined, [bad])).rejects.toThrow(/int_bad\.sql/);
    });
  });

  it("builds the run's work tables as temporary tables, dropping one an older warehouse kept (temp34)", async () => {
    await withDb(async (db) => {
      const model = (name: string, sql: string): Model => ({
        name,
        layer: 'intermediate',
        file: name,
        deps: [],
        grain: '',
        sql,
      });
      // (a warehouse written before temp34 holds the work table with its old rows)
      await db.exec('create table int_cod_senders as select 0 as n');
      await runModels(db, () => true, undefined, [
        model('int_cod_senders', 'select range as n from range(3)'),
        model('int_entities', 'select 1 as n'),
      ]);
      const tables = await db.all(`select table_name as t, temporary from duckdb_tables() order by 1, 2`);
      expect(tables).toEqual([
        { t: 'int_cod_senders', temporary: true },
        { t: 'int_entities', temporary: false },
      ]);
      expect(await db.value('select count(*)::int from int_cod_senders')).toBe(3);
      // SANGLOC_KEEP_WORK_TABLES=1: kept in the warehouse (debugging, the engines compared)
      process.env.SANGLOC_KEEP_WORK_TABLES = '1';
      try {
        await runModels(db, () => true, undefined, [model('int_identity_records', 'select 2 as n')]);
      } finally {
        delete process.env.SANGLOC_KEEP_WORK_TABLES;
      }
      expect(await db.value(`select temporary from duckdb_tables() where table_name = 'int_identity_records'`)).toBe(
        false,
      );
      // every work table is a model of pipelines/ (a renamed model would silently go back to the warehouse)
      const names = new Set(readModels().map((m) => m.name));
      for (const w of workModels) expect(names.has(w), w).toBe(true);
    });
  });

  it('with progress, each model built advances the stage by the rows of the tables it reads', async () => {
    await withDb(async (db) => {
      await db.exec('create table raw_big as select range as x from range(300); create table raw_small (x int)');
      await db.exec('insert into raw_small values (1)');
      const model = (name: string, sql: string): Model => ({
        name,
        layer: 'staging',
        file: name,
        deps: [],
        grain: '',
        sql,
      });
      const steps: [number, number][] = [];
      const log = { ...silentLogger(), progress: (done: number, total: number) => void steps.push([done, total]) };
      const models = [
        model('stg_a', 'select * from raw_big -- raw_small in a comment does not count'),
        model('stg_b', 'select * from raw_small'),
        model('stg_c', 'select 1 as x'),
      ];
      await runModels(db, () => true, log, models, { progress: true });
      expect(steps).toEqual([
        [300, 302],
        [301, 302],
        [302, 302],
      ]);
      steps.length = 0;
      await runModels(db, () => true, log, models);
      expect(steps).toEqual([]);
    });
  });
});

describe('unionFind', () => {
  it('gives each node the smallest id of its component, whatever the edge order', () => {
    const a = [4, 1, 6, 3];
    const b = [1, 2, 5, 4];
    const forward = unionFind(7, a, b, 4);
    const backward = unionFind(7, [...a].reverse(), [...b].reverse(), 4);
    expect([...forward]).toEqual([0, 1, 1, 1, 1, 5, 5]);
    expect([...backward]).toEqual([...forward]);
  });
});
