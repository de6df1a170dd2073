/**
 * Linking CSV files with a link spec, outside the nightly batch (`sangloc link`): load one file
 * (dedupe) or two (link A with B) into an in-memory DuckDB, run `linkRecords`, and write
 * pairs.csv, clusters.csv and weights.json. Each step is its own function, so a caller can
 * swap the input or add an output without touching the others.
 */
import { neutraliseFormulaSql } from '../publish/cells.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError, InputError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { ident, literal, openDb, type Db } from '../warehouse/db.js';
import { linkRecords, type LinkResult } from './link.js';
import { normalizeLinkSpec, type ResolvedLinkSpec } from './spec.js';
import { tfLevels } from './sql.js';

/** One file: find duplicates within it. Two files: link records of the first with the second only. */
export type LinkFileList = readonly [string] | readonly [string, string];

export interface LinkFilesOptions {
  files: LinkFileList;
  spec: ResolvedLinkSpec;
  /** Where the spec came from, for error messages (a file path). */
  specSource: string;
  /** Output folder (created). */
  outDir: string;
  /** Seed of the random pairs used to estimate u. */
  seed: number;
  log?: Logger;
}

export interface LinkFilesResult extends LinkResult {
  /** The files written, by kind. */
  outputs: { pairs: string; clusters: string; weights: string };
}

/** Table names inside the in-memory database. */
const tables = { input: 'link_input', links: 'link_links', clusters: 'link_clusters' } as const;
const fileTable = (i: number) => `file${i}`;

/** A record's id when the spec names no `unique_id`: its 1-based line of data in its file. */
const rowNumberId = '(rowid + 1)::varchar';

/** Every file to link exists (checked before anything is read, so a wrong path is named first). */
export function checkLinkFiles(files: LinkFileList): void {
  for (const f of files) if (!existsSync(f)) throw new InputError(f, 'file not found');
}

/**
 * Reads and validates a link spec file (JSON).
 *
 * @example const spec = readLinkSpec('examples/link/spec.json');
 */
export function readLinkSpec(path: string): ResolvedLinkSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(path, [existsSync(path) ? `not valid JSON (${(err as Error).message})` : 'cannot read the file; check the path given to --spec']);
  }
  return normalizeLinkSpec(raw, path);
}

/**
 * Dedupes one CSV file or links two, and writes pairs.csv, clusters.csv and weights.json to `outDir`.
 *
 * @example
 *   const r = await linkFiles({ files: ['shops.csv', 'registry.csv'], spec: readLinkSpec('spec.json'),
 *     specSource: 'spec.json', outDir: 'out/link', seed: 1 });
 *   r.keptLinks; // links kept after clustering
 */
export async function linkFiles(options: LinkFilesOptions): Promise<LinkFilesResult> {
  const { files, spec, outDir } = options;
  checkLinkFiles(files);
  const db = await openDb(':memory:');
  try {
    await loadLinkInput(db, files, spec, options.specSource);
    const result = await linkRecords(db, {
      input: tables.input,
      idColumn: '_record_id',
      datasetColumn: files.length === 2 ? '_dataset' : undefined,
      spec,
      seed: options.seed,
      log: options.log ?? silentLogger(),
      tables: { links: tables.links, clusters: tables.clusters },
    });
    mkdirSync(outDir, { recursive: true });
    const outputs = { pairs: join(outDir, 'pairs.csv'), clusters: join(outDir, 'clusters.csv'), weights: join(outDir, 'weights.json') };
    await writePairsCsv(db, files, spec, outputs.pairs);
    await writeClustersCsv(db, files, outputs.clusters);
    writeFileSync(outputs.weights, JSON.stringify(result.weights, null, 2) + '\n');
    return { ...result, outputs };
  } finally {
    db.close();
  }
}

/**
 * Loads the files as text tables and unions them into `link_input`: `_record_id` (dense, from 0),
 * `_dataset` (index of the file), `_id` (the spec's unique_id, else the line of data) and `_row`.
 */
async function loadLinkInput(db: Db, files: LinkFileList, spec: ResolvedLinkSpec, specSource: string): Promise<void> {
  for (const [i, f] of files.entries()) {
    try {
      await db.exec(`create table ${ident(fileTable(i))} as select * from read_csv(${literal(f)}, all_varchar = true, header = true)`);
    } catch (err) {
      throw new InputError(f, `cannot read as CSV: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (spec.unique_id) {
    for (const [i, f] of files.entries()) {
      const cols = (await db.all<{ column_name: string }>(`describe ${ident(fileTable(i))}`)).map((r) => r.column_name);
      if (!cols.includes(spec.unique_id)) throw new ConfigError(specSource, [`unique_id: ${basename(f)} has no column "${spec.unique_id}"`]);
    }
  }
  const idExpr = spec.unique_id ? ident(spec.unique_id) : rowNumberId;
  const parts = files.map((_, i) => `select ${i}::tinyint as _dataset, ${idExpr} as _id, rowid as _row, * from ${ident(fileTable(i))}`);
  await db.exec(`create table ${tables.input} as
    select (row_number() over (order by _dataset, _row) - 1)::bigint as _record_id, *
    from (${parts.join(' union all by name ')})`);
}

/** SQL naming a record's file (its base name) from the `_dataset` column of `alias`. */
function rawFileNameSql(files: LinkFileList, alias: string): string {
  return `[${files.map((f) => literal(basename(f))).join(', ')}][${alias}._dataset + 1]`;
}

/** The same, formula-neutralised (spreadsheet-facing, as every output's text). */
const fileNameSql = (files: LinkFileList, alias: string) => neutraliseFormulaSql(rawFileNameSql(files, alias));
const idSql = (alias: string) => neutraliseFormulaSql(`${alias}._id`);

/** The weight parts of a link, in pairs.csv's column order: prior, then per comparison its level, tf and guard. */
function weightPartNames(spec: ResolvedLinkSpec): string[] {
  const names = ['prior'];
  for (const c of spec.comparisons) {
    names.push(c.name);
    if (tfLevels(c).length) names.push(`${c.name}_tf`);
    if (c.degree_guard) names.push(`${c.name}_guard`);
  }
  return names;
}

/** pairs.csv: every link at or above the threshold, strongest first, with every weight part. */
async function writePairsCsv(db: Db, files: LinkFileList, spec: ResolvedLinkSpec, file: string): Promise<void> {
  const partCols = weightPartNames(spec).map((p) => `(l.parts ->> ${literal(p)})::double as ${ident(p)}`);
  await db.exec(`copy (
    select ${fileNameSql(files, 'la')} as left_file, ${idSql('la')} as left_id, ${fileNameSql(files, 'rb')} as right_file, ${idSql('rb')} as right_id,
           l.match_weight, l.match_probability, l.confidence, l.kept, l.cut_reason, ${partCols.join(', ')}
    from ${tables.links} l
    join ${tables.input} la on la._record_id = l.record_a
    join ${tables.input} rb on rb._record_id = l.record_b
    order by l.match_weight desc, l.record_a, l.record_b
  ) to ${literal(file)} (header, delimiter ',')`);
}

/** clusters.csv: every record and its cluster, named after its first record (`file:id` when linking two files). */
async function writeClustersCsv(db: Db, files: LinkFileList, file: string): Promise<void> {
  const clusterId = neutraliseFormulaSql(files.length === 2 ? `${rawFileNameSql(files, 'ci')} || ':' || ci._id` : 'ci._id');
  await db.exec(`copy (
    select ${fileNameSql(files, 'i')} as file, ${idSql('i')} as id, ${clusterId} as cluster_id,
           count(*) over (partition by c.cluster_id) as cluster_size
    from ${tables.clusters} c
    join ${tables.input} i on i._record_id = c.record_id
    join ${tables.input} ci on ci._record_id = c.cluster_id
    order by c.cluster_id, c.record_id
  ) to ${literal(file)} (header, delimiter ',')`);
}
