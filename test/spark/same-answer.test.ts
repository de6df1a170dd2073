/**
 * `--engine spark` publishes byte-identical cases.csv, members.csv and rejects.csv to the DuckDB
 * engine: on a generated world with rejected rows, and after a re-delivery into the same workspace.
 */
import { mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { comparedFiles } from '../../engine/spark/compare.js';
import { ident, literal, openDb } from '../../engine/warehouse/db.js';
import { readModels } from '../../engine/warehouse/pipeline.js';
import { tempDir } from '../helpers.js';
import { addRejects, reDelivery, sangloc } from './helpers.js';

const root = tempDir('sangloc-spark-same-');
const world = join(root, 'world');
const again = join(root, 'again');
const ws = { duckdb: join(root, 'ws-duckdb'), spark: join(root, 'ws-spark') };
const published: Record<'duckdb' | 'spark', string[]> = { duckdb: [], spark: [] };

const run = (engine: 'duckdb' | 'spark', input: string) => {
  // (the run's work tables kept in the warehouse, so every model compares below)
  const r = sangloc(['run', '--input', input, '--workspace', ws[engine], '--engine', engine, '--quiet'], {
    SANGLOC_KEEP_WORK_TABLES: '1',
  });
  expect(r.status, r.stderr).toBe(0);
  published[engine].push(join(ws[engine], readlinkSync(join(ws[engine], 'latest'))));
};

beforeAll(() => {
  const g = sangloc(['generate', '--persons', '300', '--seed', '11', '--out', world, '--quiet']);
  expect(g.status, g.stderr).toBe(0);
  addRejects(world);
  mkdirSync(again);
  reDelivery(world, again);
  for (const engine of ['duckdb', 'spark'] as const) {
    run(engine, world);
    run(engine, again);
  }
}, 3_600_000);

describe('the same answer on both engines', () => {
  it.each([0, 1].flatMap((i) => comparedFiles.map((f) => ({ i, f }))))('run $i: $f is byte-identical', ({ i, f }) => {
    const a = readFileSync(join(published.duckdb[i]!, f));
    const b = readFileSync(join(published.spark[i]!, f));
    expect(b.equals(a), `${f} of run ${i} differs`).toBe(true);
  });

  it('every model table of the re-delivery is the same on both engines (except all, both ways)', async () => {
    // the case files need not show a difference in a model (an unsorted list, a column Spark computes
    // otherwise); every model is compared row for row
    const db = await openDb(':memory:');
    try {
      await db.exec(`attach ${literal(join(ws.duckdb, 'warehouse.duckdb'))} as d (read_only)`);
      await db.exec(`attach ${literal(join(ws.spark, 'warehouse.duckdb'))} as s (read_only)`);
      const differing: string[] = [];
      const models = readModels().map((m) => m.name);
      expect(models.length).toBeGreaterThan(20);
      for (const m of models) {
        const t = ident(m);
        const diff = await db.value<number>(
          `select (select count(*) from (from d.${t} except all from s.${t})) +
                  (select count(*) from (from s.${t} except all from d.${t}))`,
        );
        if (Number(diff) !== 0) differing.push(`${m}: ${diff} rows`);
      }
      expect(differing).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('the delivery has rejects and the re-delivery changed the answer', () => {
    const rejects = readFileSync(join(published.duckdb[0]!, 'rejects.csv'), 'utf8').trim().split('\n');
    expect(rejects.length).toBeGreaterThanOrEqual(3);
    const first = readFileSync(join(published.duckdb[0]!, 'cases.csv'));
    const second = readFileSync(join(published.duckdb[1]!, 'cases.csv'));
    expect(second.equals(first)).toBe(false);
  });
});
