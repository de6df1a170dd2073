import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db } from '../../engine/warehouse/db.js';

/** A world kept by `bench/quality.ts --keep --root ROOT`: its warehouse (read-only) and files. */
export interface KeptWorld {
  db: Db;
  /** the scored run's workspace, `ROOT/<world>-ws-scored` */
  ws: string;
  /** SQL string literals (quotes doubled, no surrounding quotes) of the truth's records.csv and the run's members.csv */
  truthCsv: string;
  membersCsv: string;
}

/**
 * Opens a kept world for the analysis scripts (bench/false-pairs.ts, bench/wrong-merges.ts).
 *
 * @example const { db, membersCsv } = await openKeptWorld('/tmp/q', 'relative-account');
 */
export async function openKeptWorld(root: string, world: string): Promise<KeptWorld> {
  const ws = join(root, `${world}-ws-scored`);
  const warehouse = join(ws, 'warehouse.duckdb');
  if (!existsSync(warehouse)) throw new Error(`${warehouse}: no kept world; run bench/quality.ts --keep first`);
  const q = (p: string) => p.replaceAll("'", "''");
  return {
    db: await openDb(warehouse, { readOnly: true }),
    ws,
    truthCsv: q(join(root, world, 'truth', 'records.csv')),
    membersCsv: q(join(ws, 'latest', 'members.csv')),
  };
}

/**
 * Prints a world's false pairs as a markdown table: the given columns of each row, then its pairs
 * and their share of `total` (bench/false-pairs.ts, bench/wrong-merges.ts).
 */
export function printFalsePairs(
  world: string,
  total: number,
  columns: string[],
  rows: { cells: (string | number)[]; pairs: number }[],
): void {
  console.log(`\n${world}: ${total.toLocaleString('en')} false pairs (wrong rows weighed by the pairs they make)`);
  console.log(`| ${[...columns, 'pairs', 'share'].join(' | ')} |`);
  console.log(`|${'---|'.repeat(columns.length + 2)}`);
  for (const r of rows)
    console.log(
      `| ${[...r.cells, Math.round(r.pairs).toLocaleString('en'), (r.pairs / total).toFixed(3)].join(' | ')} |`,
    );
}
