/**
 * The Parquet lake: the hand-over between the engines. After ingest, the rows of every raw table are
 * also written as hive-partitioned Parquet, `LAKE/source=<source>/tax_year=<yyyy>/month=<mm>/`,
 * from the source's date (bank booking, parcel pick-up, return or listing period, registration);
 * rows without one go to `tax_year=0/month=0`. A partition holds every loaded row of its month, as
 * the raw table does (restatements included: staging keeps the latest), so a re-delivery rewrites
 * exactly the partitions its rows fall in: written beside the old one and swapped in by rename.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { rawTable } from '../ingest/schema.js';
import { sourceNames, type SourceName } from '../ingest/sources.js';
import { literal, type Db } from '../warehouse/db.js';

/** The date column each source is partitioned by (ISO text in the raw table after validation). */
export const lakeDateColumn: Record<SourceName, string> = {
  taxpayers: 'registered_on',
  declarations: 'period',
  platform_sellers: 'period',
  websites: 'notified_on',
  cod_shipments: 'picked_up_on',
  bank_transactions: 'booked_at',
  outcomes: 'period',
};

/** Hive partition columns the lake adds to a raw table's own. */
export const lakePartitionColumns = ['tax_year', 'month'] as const;

const yearExpr = (c: string) => `coalesce(try_cast(substr(${c}, 1, 4) as integer), 0)`;
const monthExpr = (c: string) =>
  `case when regexp_full_match(substr(${c}, 5, 3), '-[0-9]{2}') then cast(substr(${c}, 6, 2) as integer) else 0 end`;

export const sourceDir = (lake: string, source: SourceName) => join(lake, `source=${source}`);

export interface LakeWrite {
  partitions: number;
  rows: number;
}

/**
 * Writes the partitions touched by this run's loaded files (or every partition of a source whose
 * folder is missing, e.g. the first run with a lake). Returns how many partitions were written.
 */
export async function writeLake(db: Db, lake: string, runId: string): Promise<LakeWrite> {
  mkdirSync(lake, { recursive: true });
  let partitions = 0;
  let rows = 0;
  for (const source of sourceNames) {
    const table = rawTable(source);
    const col = lakeDateColumn[source];
    const dir = sourceDir(lake, source);
    const all = !existsSync(dir);
    const touched = await db.all<{ y: number; m: number; n: bigint }>(
      `select ${yearExpr(col)} as y, ${monthExpr(col)} as m, count(*) as n from ${table}
       ${all ? '' : `where _file_id in (select file_id from ingest_files where run_id = ${literal(runId)})`}
       group by all order by all`,
    );
    for (const { y, m } of touched) {
      const part = join(dir, `tax_year=${y}`, `month=${m}`);
      const next = `${part}.next`;
      rmSync(next, { recursive: true, force: true });
      mkdirSync(next, { recursive: true });
      const n = await db.value<number>(
        `select count(*) from ${table} where ${yearExpr(col)} = ${Number(y)} and ${monthExpr(col)} = ${Number(m)}`,
      );
      await db.exec(
        `copy (select * from ${table} where ${yearExpr(col)} = ${Number(y)} and ${monthExpr(col)} = ${Number(m)}
               order by _load_seq, _line)
         to ${literal(join(next, 'part-0.parquet'))} (format parquet)`,
      );
      rmSync(part, { recursive: true, force: true });
      renameSync(next, part);
      partitions++;
      rows += Number(n);
    }
  }
  return { partitions, rows };
}

/** The Parquet files of a source in the lake ([] when it has none). */
export function lakeFiles(lake: string, source: SourceName): string[] {
  const dir = sourceDir(lake, source);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const y of readdirSync(dir).filter((d) => d.startsWith('tax_year=') && !d.endsWith('.next')))
    for (const m of readdirSync(join(dir, y)).filter((d) => d.startsWith('month=') && !d.endsWith('.next')))
      out.push(join(dir, y, m));
  return out.sort();
}
