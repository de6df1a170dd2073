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
