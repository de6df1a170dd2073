/**
 * Linking CSV files with a link spec, outside the nightly batch (`sangloc link`): load one file
 * (dedupe) or two (link A with B) into an in-memory DuckDB, run `linkRecords`, and write
 * pairs.csv, clusters.csv and weights.json. Each step is its own function, so a caller can
 * swap the input or add an output without touching the others.
 */
import { neutraliseFormulaSql } from '../publish/cells.js';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { convertToUtf8, sniffEncoding } from '../ingest/encoding.js';
import { ConfigError, InputError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { ident, literal, openDb, type Db } from '../warehouse/db.js';
import { linkRecords, ruleLabel as blockingKeysLabel, type LinkResult } from './link.js';
import { normalizeLinkSpec, type ResolvedLinkSpec } from './spec.js';
import { loadLabels, measureWithLabels, type LabelQuality, type SweepPoint } from './labels.js';
import { renderLinkReport, type ReportPair } from './link-report.js';
import { linksSql, tfLevels } from './sql.js';
import { thresholdWeight } from './spec.js';
import { fmt } from '../format.js';

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
  /** Labels file (pairs with 0/1, or an entity column): measure precision, recall and F1 and sweep the threshold. */
  labels?: string;
  /** With `labels`: m of every level not fixed in the spec counted on the labelled matches instead of estimated by
   * EM. */
  mFromLabels?: boolean;
  /** How the files are read: text encoding (default UTF-8; e.g. `windows-1258`, `latin1`) and field delimiter
   * (default sniffed). */
  read?: { encoding?: string; delimiter?: string };
}

export interface LinkFilesResult extends LinkResult {
  /** The files written, by kind. */
  outputs: { pairs: string; clusters: string; weights: string; report: string };
  /** With `labels`: quality against them. */
  quality?: LabelQuality;
  /** With `labels`: the sweep at chosen match probabilities. */
  sweepTable?: SweepPoint[];
}

/** Match probabilities the printed sweep shows. */
export const sweepProbabilities = [0.01, 0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999];

/** Table names inside the in-memory database. */
const tables = { input: 'link_input', links: 'link_links', clusters: 'link_clusters', scored: 'link_scored' } as const;
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
    throw new ConfigError(path, [
      existsSync(path)
        ? `not valid JSON (${(err as Error).message})`
        : 'cannot read the file; check the path given to --spec',
    ]);
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
  const log = options.log ?? silentLogger();
  const converted: string[] = [];
  try {
    const readable = await utf8Files(files, options.read?.encoding, converted);
    const warnings = await loadLinkInput(db, files, readable, spec, options.specSource, options.read?.delimiter);
    for (const w of warnings) log.warn(`link: ${w}`);
    if (options.mFromLabels && !options.labels)
      throw new ConfigError(options.specSource, ['m from labels: give the labels file (--labels)']);
    const crossOnly = (spec.link_type ?? (files.length === 2 ? 'link_only' : 'dedupe_only')) === 'link_only';
    const fileNames = files.map((f) => basename(f));
    const loaded = options.labels
      ? await loadLabels(db, { file: options.labels, input: tables.input, crossOnly, fileNames })
      : undefined;
    const result = await linkRecords(db, {
      ...(options.mFromLabels ? { mFromPairs: 'link_label_pairs' } : {}),
      input: tables.input,
      idColumn: '_record_id',
      datasetColumn: files.length === 2 ? '_dataset' : undefined,
      spec,
      seed: options.seed,
      log,
      tables: { links: tables.links, clusters: tables.clusters },
      keepWork: true,
      workPrefix: 'rs_',
    });
    result.warnings.unshift(...warnings);
    mkdirSync(outDir, { recursive: true });
    const outputs = {
      pairs: join(outDir, 'pairs.csv'),
      clusters: join(outDir, 'clusters.csv'),
      weights: join(outDir, 'weights.json'),
      report: join(outDir, 'link-report.html'),
    };
    await writePairsCsv(db, files, spec, outputs.pairs);
    await writeClustersCsv(db, files, outputs.clusters);
    writeFileSync(outputs.weights, JSON.stringify(result.weights, null, 2) + '\n');
    // Every candidate pair scored (not only links), for the sweep and the sample waterfalls.
    await scoreAllPairs(db, spec, result);
    const threshold = thresholdWeight(spec.threshold);
    const quality = options.labels
      ? await measureWithLabels(db, {
          file: options.labels,
          input: tables.input,
          scored: tables.scored,
          clusters: tables.clusters,
          crossOnly,
          threshold,
          fileNames,
          sweepWeights: sweepProbabilities.map((p) => thresholdWeight({ match_probability: p })),
          loaded,
        })
      : undefined;
    const sweepTable = quality?.sweep;
    await writeLinkReport(db, {
      files,
      spec,
      result,
      quality,
      sweepTable,
      threshold,
      file: outputs.report,
      labelled: !!options.labels,
    });
    return { ...result, outputs, quality, sweepTable };
  } finally {
    db.close();
    for (const f of converted) rmSync(dirname(f), { recursive: true, force: true });
  }
}

/**
 * The files as UTF-8: each is checked (its first 64 KB); with an `encoding` other than UTF-8 it
 * is converted to a temporary copy (listed in `converted`), without one a file that is not UTF-8
 * is refused with the line that shows it and the option that fixes it.
 */
async function utf8Files(files: LinkFileList, encoding: string | undefined, converted: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    if (encoding && !/^utf-?8$/i.test(encoding)) {
      const copy = await convertToUtf8(f, encoding);
      converted.push(copy);
      out.push(copy);
      continue;
    }
    const head = Buffer.alloc(65536);
    const fd = openSync(f, 'r');
    const n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const sniffed = sniffEncoding(head.subarray(0, n), n < head.length);
    if (sniffed.kind === 'not-utf-8') {
      throw new InputError(
        f,
        `the file is not UTF-8 (invalid bytes on line ${sniffed.lines.slice(0, 5).join(', ')}); name its ` +
          `encoding, e.g. \`--encoding windows-1258\` or \`--encoding latin1\`, or save it as "CSV UTF-8"`,
        sniffed.lines[0],
      );
    }
    if (sniffed.kind !== 'utf-8')
      throw new InputError(f, 'the file is UTF-16, not UTF-8; pass `--encoding utf-16le` or save it as "CSV UTF-8"', 1);
    out.push(f);
  }
  return out;
}

/**
 * Loads the files as text tables and unions them into `link_input`: `_record_id` (dense, from 0),
 * `_dataset` (index of the file), `_id` (the spec's unique_id, else the line of data) and `_row`.
 */
async function loadLinkInput(
  db: Db,
  files: LinkFileList,
  readable: string[],
  spec: ResolvedLinkSpec,
  specSource: string,
  delimiter?: string,
): Promise<string[]> {
  const columns: Array<Set<string>> = [];
  for (const [i, f] of files.entries()) {
    const delim = delimiter === undefined ? '' : `, delim = ${literal(delimiter)}`;
    try {
      await db.exec(
        `create table ${ident(fileTable(i))} as select * from read_csv(${literal(readable[i]!)}, all_varchar = ` +
          `true, header = true${delim})`,
      );
    } catch (err) {
      throw new InputError(
        f,
        `cannot read as CSV: ${(err as Error).message.split('\n')[0]}; check --delimiter and --encoding`,
      );
    }
    columns.push(
      new Set((await db.all<{ column_name: string }>(`describe ${ident(fileTable(i))}`)).map((r) => r.column_name)),
    );
  }
  // A field whose columns one file lacks is unknown on all its records: say so, since it silently makes no
  // cross-file pairs.
  const warnings: string[] = [];
  if (files.length === 2) {
    for (const [name, f] of Object.entries(spec.fields)) {
      const has = columns.map((cols) => f.column.some((c) => cols.has(c)));
      if (has[0] !== has[1]) {
        const lacking = basename(files[has[0] ? 1 : 0]);
        warnings.push(
          `field "${name}": ${lacking} has no column ${f.column.map((c) => `"${c}"`).join(' or ')}; the field ` +
            `is unknown on all its records, so comparisons and blocking rules on it link nothing across the ` +
            `files (name the column of each file: "column": ["a", "b"])`,
        );
      }
    }
  }
  if (spec.unique_id) {
    for (const [i, f] of files.entries()) {
      const cols = (await db.all<{ column_name: string }>(`describe ${ident(fileTable(i))}`)).map((r) => r.column_name);
      if (!cols.includes(spec.unique_id))
        throw new ConfigError(specSource, [`unique_id: ${basename(f)} has no column "${spec.unique_id}"`]);
    }
  }
  const idExpr = spec.unique_id ? ident(spec.unique_id) : rowNumberId;
  const parts = files.map(
    (_, i) => `select ${i}::tinyint as _dataset, ${idExpr} as _id, rowid as _row, * from ${ident(fileTable(i))}`,
  );
  await db.exec(`create table ${tables.input} as
    select (row_number() over (order by _dataset, _row) - 1)::bigint as _record_id, *
    from (${parts.join(' union all by name ')})`);
  return warnings;
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
  await db.exec(
    `copy (
    select ${fileNameSql(files, 'la')} as left_file, ${idSql('la')} as left_id, ${fileNameSql(files, 'rb')} as ` +
      `right_file, ${idSql('rb')} as right_id,
           l.match_weight, l.match_probability, l.confidence, l.kept, l.cut_reason, ${partCols.join(', ')}
    from ${tables.links} l
    join ${tables.input} la on la._record_id = l.record_a
    join ${tables.input} rb on rb._record_id = l.record_b
    order by l.match_weight desc, l.record_a, l.record_b
  ) to ${literal(file)} (header, delimiter ',')`,
  );
}

/** clusters.csv: every record and its cluster, named after its first record (`file:id` when linking two files). */
async function writeClustersCsv(db: Db, files: LinkFileList, file: string): Promise<void> {
  const clusterId = neutraliseFormulaSql(
    files.length === 2 ? `${rawFileNameSql(files, 'ci')} || ':' || ci._id` : 'ci._id',
  );
  await db.exec(`copy (
    select ${fileNameSql(files, 'i')} as file, ${idSql('i')} as id, ${clusterId} as cluster_id,
           count(*) over (partition by c.cluster_id) as cluster_size
    from ${tables.clusters} c
    join ${tables.input} i on i._record_id = c.record_id
    join ${tables.input} ci on ci._record_id = c.cluster_id
    order by c.cluster_id, c.record_id
  ) to ${literal(file)} (header, delimiter ',')`);
}

/** `link_scored`: every candidate pair with its weight and parts (the links table's shape, no threshold). */
async function scoreAllPairs(db: Db, spec: ResolvedLinkSpec, result: LinkResult): Promise<void> {
  const w = result.weights;
  const scoreWeights = {
    prior: Math.log2(w.prior / (1 - w.prior)),
    comparisons: w.comparisons.map((c) => ({ weights: c.levels.map((l) => l.weight), u: c.levels.map((l) => l.u) })),
  };
  const step = linksSql(spec, scoreWeights, { vectors: result.tables.vectors, table: tables.scored, threshold: -1e9 });
  await db.exec(step.sql, step.params);
}

/** link-report.html: summary, labels (curve and sweep), level weights, sample waterfalls, cluster sizes. */
async function writeLinkReport(
  db: Db,
  o: {
    files: LinkFileList;
    spec: ResolvedLinkSpec;
    result: LinkResult;
    quality?: LabelQuality;
    sweepTable?: SweepPoint[];
    threshold: number;
    file: string;
    labelled: boolean;
  },
): Promise<void> {
  const r = o.result;
  const names = weightPartNames(o.spec);
  const partCols = names.map((p) => `(s.parts ->> ${literal(p)})::double as ${ident(`p_${p}`)}`).join(', ');
  const truth = o.labelled ? 't.y' : 'null';
  const join = o.labelled ? 'left join link_truth t on t.a = s.record_a and t.b = s.record_b' : '';
  const base =
    `select la._id as l, rb._id as r, s.match_weight as w, ${truth}::integer as y, ${partCols}
    from ${tables.scored} s join ${tables.input} la on la._record_id = s.record_a join ${tables.input} rb on ` +
    `rb._record_id = s.record_b ${join}`;
  const picks: Array<[string, string]> = [
    ['the strongest pair', 'order by w desc, l, r'],
    ['the weakest pair at or above the threshold', `where w >= ${o.threshold} order by w, l, r`],
    ['the strongest pair below the threshold', `where w < ${o.threshold} order by w desc, l, r`],
    ...(o.labelled
      ? ([
          ['the strongest labelled non-match', 'where y = 0 order by w desc, l, r'],
          ['the weakest labelled match among candidates', 'where y = 1 order by w, l, r'],
        ] as Array<[string, string]>)
      : []),
  ];
  const samples: ReportPair[] = [];
  const seen = new Set<string>();
  for (const [why, tail] of picks) {
    const row = await db.one<Record<string, unknown>>(`select * from (${base}) ${tail} limit 1`);
    if (!row || seen.has(`${row.l}|${row.r}`)) continue;
    seen.add(`${row.l}|${row.r}`);
    samples.push({
      left: String(row.l),
      right: String(row.r),
      matchWeight: Number(row.w),
      parts: names.map((n) => ({ name: n, weight: Number(row[`p_${n}`] ?? 0) })),
      ...(row.y === null || row.y === undefined ? {} : { truth: Number(row.y) ? 1 : 0 }),
      why,
    } as ReportPair);
  }
  const sizes = await db.all<{ size: number; n: number }>(
    `select size::integer as size, count(*)::integer as n from (select cluster_id, count(*) as size ` +
      `from ${tables.clusters} group by 1) group by 1 order by 1`,
  );
  const html = renderLinkReport({
    title: `Link report: ${o.files.map((f) => basename(f)).join(' + ')}`,
    summary: [
      ['records', String(r.records)],
      ['link type', r.linkType],
      ['clustering', o.spec.clustering.method],
      ['candidate pairs', fmt().int(r.candidatePairs)],
      ...o.spec.blocking.map(
        (b, i) =>
          [`  blocking rule ${i + 1}`, `${blockingKeysLabel(b)}: ${fmt().int(r.rulePairs[i]!)} pairs`] as [
            string,
            string,
          ],
      ),
      ['links (at or above the threshold)', fmt().int(r.links)],
      ['links kept by clustering', fmt().int(r.keptLinks)],
      ['clusters of 2+ records', fmt().int(r.multiRecordClusters)],
      ['threshold (match weight)', fmt().dec(o.threshold, 2)],
    ],
    warnings: r.warnings,
    weights: r.weights,
    threshold: o.threshold,
    samples,
    clusterSizes: sizes.map((s) => [s.size, s.n]),
    labels: o.quality,
    sweepTable: o.sweepTable,
  });
  writeFileSync(o.file, html);
}
