/**
 * Generic record linkage driven by a LinkSpec: prepare → block → compare → estimate → score →
 * cluster. Pairs and comparison vectors stay in DuckDB; EM and clustering run over typed arrays.
 */
import { ConfigError, InputError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { ident, type Db } from '../warehouse/db.js';
import {
  clusterComponents,
  clusterOneToOne,
  clusterRecords,
  EDGE_BRIDGE,
  EDGE_CONFLICT,
  EDGE_KEPT,
  EDGE_TAKEN,
  type ClusterGuards,
  type ClusterResult,
} from './cluster.js';
import { blockingKeys, type BlockingRule, type LinkType, type ResolvedLinkSpec } from './spec.js';
import { thresholdWeight } from './spec.js';
import {
  blockedPairsSql,
  blockingEstimateQuery,
  blockingKeysSql,
  isPlainRule,
  ruleKeys,
  clustersSql,
  comparisonVectorsSql,
  exclusiveValuesQuery,
  gammaColumn,
  identifierKeysQuery,
  linksSql,
  markCutLinksSql,
  prepareRecordsSql,
  randomPairsSql,
  recordStats,
  recordStatSql,
  recordsWithStatsSql,
  type SqlStep,
} from './sql.js';
import { estimateWeights, weightWarnings, type LinkWeights, type MaskedPatterns } from './weights.js';
import { fmt } from '../format.js';

export interface LinkOptions {
  /** Table or view with one row per record. */
  input: string;
  /** Unique non-negative integer id column (dense ids keep memory small); default `record_id`. */
  idColumn?: string;
  /**
   * Column holding 0/1: two datasets. By default records of dataset 0 are linked with dataset 1
   * only (no dedupe within); the spec's `link_type: "link_and_dedupe"` pairs within each too.
   */
  datasetColumn?: string;
  spec: ResolvedLinkSpec;
  seed: number;
  log?: Logger;
  /** Output table names; default `resolve_links`, `resolve_clusters` and `resolve_corroborations`. */
  tables?: { links?: string; clusters?: string; corroborations?: string };
  /** Prefix of work tables (default `rs_`); they are dropped unless `keepWork`. */
  workPrefix?: string;
  /** Keep work tables, e.g. `<prefix>vectors` (every candidate pair's comparison levels). */
  keepWork?: boolean;
  /**
   * Table of labelled pairs `(a, b, y)` (record ids, a < b, y = 1 for a match): m of every level
   * not fixed in the spec is counted on the labelled matches among the candidate pairs instead of
   * estimated by EM (`m_source: "labels"`).
   */
  mFromPairs?: string;
}

export interface LinkResult {
  records: number;
  candidatePairs: number;
  links: number;
  keptLinks: number;
  weakLinks: number;
  bridgesCut: number;
  /** One-to-one clustering: links refused because a record already had a stronger partner. */
  oneToOneRefused: number;
  /** Candidate pairs each blocking rule produced (a pair several rules produce counts for each). */
  rulePairs: number[];
  /** What looked wrong (also logged as warnings): too frequent blocking values, rules making no pairs, degenerate
   * estimates. */
  warnings: string[];
  linkType: LinkType;
  /** Links refused because their clusters hold different exclusive values (two people). */
  conflicts: number;
  /** Cluster merges by corroboration (identifiers of different kinds shared across the clusters). */
  corroborations: number;
  /** Clusters, singletons included. */
  clusters: number;
  /** Clusters of two records or more. */
  multiRecordClusters: number;
  weights: LinkWeights;
  /** Milliseconds per step. */
  timings: Record<string, number>;
  tables: { links: string; clusters: string; corroborations: string; vectors: string };
}

/** The process's CPU milliseconds (DuckDB's threads included). */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs one step; SANGLOC_PROFILE=1: its table, wall and CPU milliseconds on stderr (no data). */
const run = async (db: Db, step: SqlStep) => {
  const t0 = performance.now();
  const c0 = cpuMs();
  await db.exec(step.sql, Object.keys(step.params).length ? step.params : undefined);
  if (process.env.SANGLOC_PROFILE)
    process.stderr.write(
      `  ${step.table}: ${Math.round(performance.now() - t0)} ms, cpu ${Math.round(cpuMs() - c0)} ms\n`,
    );
};

/**
 * A step creating a work table, made to create a temporary table: DuckDB then neither compresses
 * it nor writes it to the warehouse file (rs_base and rs_records cost 3 times the CPU written to the
 * file: 1.5 and 1.2 s against 0.5 and 0.4 at 50,000 persons; perf7, issue 18). Same rows, same order.
 */
export function asTempTable(step: SqlStep): SqlStep {
  const create = 'create or replace table ';
  if (!step.sql.startsWith(create)) throw new Error(`asTempTable: not a create table statement (${step.table})`);
  return { ...step, sql: `create or replace temp table ${step.sql.slice(create.length)}` };
}

/**
 * Links the records of `input` and writes the links and clusters tables.
 *
 * @example
 *   const r = await linkRecords(db, { input: 'identity_records', spec: normalizeLinkSpec(json), seed: 1 });
 *   r.multiRecordClusters; // entities made of several records
 */
export async function linkRecords(db: Db, options: LinkOptions): Promise<LinkResult> {
  const idColumn = options.idColumn ?? 'record_id';
  const checked = performance.now();
  const spec = await checkInput(db, options.input, idColumn, options.datasetColumn, options.spec);
  const timings: Record<string, number> = { check: Math.round(performance.now() - checked) };
  // Work tables go also when a step fails: the warehouse keeps no half-built rs_* tables.
  let dropping = 0;
  const result = await db.withWorkTables(
    async (work) => {
      const r = await linkSteps(db, { ...options, idColumn }, spec, work, timings);
      dropping = performance.now();
      return r;
    },
    { keep: options.keepWork },
  );
  timings.drop = Math.round(performance.now() - dropping);
  return result;
}

/** The steps of `linkSteps`, for progress. */
const linkStepCount = 6;

/** prepare → block → compare → estimate → score → cluster, over the checked input; registers its work tables in
 * `work`. */
async function linkSteps(
  db: Db,
  options: LinkOptions & { idColumn: string },
  spec: ResolvedLinkSpec,
  work: string[],
  timings: Record<string, number>,
): Promise<LinkResult> {
  const log = options.log ?? silentLogger();
  const idColumn = options.idColumn;
  const prefix = options.workPrefix ?? 'rs_';
  const t = (name: string) => `${prefix}${name}`;
  const out = {
    links: options.tables?.links ?? 'resolve_links',
    clusters: options.tables?.clusters ?? 'resolve_clusters',
    corroborations: options.tables?.corroborations ?? 'resolve_corroborations',
  };
  // The six steps (prepare, block, compare, estimate, score, cluster) are the enclosing stage's progress.
  let stepsDone = 0;
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await log.stage(`link: ${name}`, fn);
    timings[name] = Math.round(performance.now() - started);
    log.progress(++stepsDone, linkStepCount);
    return result;
  };
  const linkType = resolveLinkType(spec, options.datasetColumn !== undefined);
  const linkOnly = linkType === 'link_only';

  // Work tables are temporary unless they are kept (the connection's own; dropped at the end as before).
  const runWork = (step: SqlStep) => run(db, options.keepWork ? step : asTempTable(step));
  const stats = recordStats(spec);
  const records = t('records');
  const sizes = await timed('prepare', async () => {
    await runWork(
      prepareRecordsSql(spec, {
        input: options.input,
        idColumn,
        datasetColumn: options.datasetColumn,
        table: t('base'),
      }),
    );
    work.push(t('base'));
    const statTables = stats.map((stat, i) => ({ stat, table: t(`stat${i}`) }));
    for (const s of statTables) {
      await runWork(recordStatSql(s.stat, t('base'), s.table));
      work.push(s.table);
    }
    await runWork(recordsWithStatsSql(t('base'), statTables, records));
    work.push(records);
    const counts = await db.all<{ ds: number; n: number; max_id: number }>(
      `select _ds as ds, count(*)::bigint as n, max(_rid)::bigint as max_id from ${ident(records)} group by 1 ` +
        `order by 1`,
    );
    const n0 = counts.find((c) => c.ds === 0)?.n ?? 0;
    const n1 = counts.find((c) => c.ds === 1)?.n ?? 0;
    return { n0, n1, maxId: Math.max(-1, ...counts.map((c) => c.max_id)) };
  });
  const nRecords = sizes.n0 + sizes.n1;

  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    log.warn(`link: ${message}`);
  };
  const { candidatePairs, rulePairs } = await timed('block', async () => {
    const keys = ruleKeys(spec, records, (i) => t(`keys${i}`));
    for (const [i, rule] of spec.blocking.entries()) {
      if (isPlainRule(rule)) continue;
      await runWork(blockingKeysSql(rule, { records, table: keys[i]!.table }));
      work.push(keys[i]!.table);
    }
    const estimate = blockingEstimateQuery(spec, keys);
    const planned = await db.all<{
      rule: number;
      pairs: number;
      skipped_blocks: number;
      skipped_records: number;
      largest: number;
    }>(estimate.sql, estimate.params);
    for (const p of planned) {
      if (p.skipped_blocks > 0) {
        const max = spec.blocking[p.rule]!.max_block_size ?? spec.max_block_size;
        warn(
          `blocking rule ${p.rule + 1} (${ruleLabel(spec.blocking[p.rule]!)}): ${p.skipped_blocks} key value(s) ` +
            `shared by more than ${max} records (${p.skipped_records} records, largest ${p.largest}) make no ` +
            `pairs; raise max_block_size or block on a finer key if they should`,
        );
      }
    }
    const plannedPairs = planned.reduce((s, p) => s + p.pairs, 0);
    if (plannedPairs > spec.max_pairs) {
      const per = planned
        .map((p) => `rule ${p.rule + 1} (${ruleLabel(spec.blocking[p.rule]!)}): up to ${Math.round(p.pairs)}`)
        .join('; ');
      throw new ConfigError('link spec', [
        `blocking: the rules would make up to ${fmt().int(plannedPairs)} candidate pairs, over the budget ` +
          `max_pairs = ${spec.max_pairs} (${per}). Block on finer keys, lower max_block_size, or raise max_pairs`,
      ]);
    }
    await runWork(blockedPairsSql(spec, { records, table: t('pairs'), linkOnly, keys }));
    work.push(t('pairs'));
    const counts = await db.one<Record<string, number>>(
      `select count(*)::bigint as ` +
        `total` +
        spec.blocking
          .map((_, i) => `, count(*) filter (where (rule_mask & ${2 ** i}) <> 0)::bigint as r${i}`)
          .join('') +
        ` ` +
        `from ${ident(t('pairs'))}`,
    );
    const rulePairs = spec.blocking.map((_, i) => Number(counts?.[`r${i}`] ?? 0));
    return { candidatePairs: Number(counts?.total ?? 0), rulePairs };
  });
  log.info(
    `link: ${fmt().int(nRecords)} records, ${fmt().int(candidatePairs)} candidate pairs ` +
      `(${spec.blocking.map((r, i) => `${ruleLabel(r)}: ${fmt().int(rulePairs[i]!)}`).join(', ')})`,
  );
  spec.blocking.forEach((r, i) => {
    if (rulePairs[i] === 0)
      warn(
        `blocking rule ${i + 1} (${ruleLabel(r)}) makes no candidate pairs: no two ` +
          `records${linkOnly ? ' of different files' : ''} share its key(s)`,
      );
  });

  const gammas = spec.comparisons.map((c) => ident(gammaColumn(c.name)));
  const { patterns, uCounts, uPairs } = await timed('compare', async () => {
    await runWork(comparisonVectorsSql(spec, { pairs: t('pairs'), records, table: t('vectors'), withStats: true }));
    work.push(t('vectors'));
    const pooled = linkType === 'link_and_dedupe';
    const uSizes: [number, number] = pooled ? [nRecords, nRecords] : [sizes.n0, linkOnly ? sizes.n1 : sizes.n0];
    await runWork(
      randomPairsSql({
        records,
        table: t('upairs'),
        count: spec.estimate.u_sample_pairs,
        seed: options.seed,
        linkOnly,
        sizes: uSizes,
        pooled,
      }),
    );
    work.push(t('upairs'));
    await runWork(comparisonVectorsSql(spec, { pairs: t('upairs'), records, table: t('uvectors'), withStats: false }));
    work.push(t('uvectors'));
    const p = await db.numericColumns(
      `select rule_mask, ${gammas.join(', ')}, count(*)::double as n from ${ident(t('vectors'))} group by all ` +
        `order by all`,
    );
    const patterns: MaskedPatterns = {
      mask: p.columns[0]!,
      gamma: p.columns.slice(1, -1).map((c) => Uint8Array.from(c)),
      count: p.columns[p.columns.length - 1]!,
    };
    const u = await db.numericColumns(
      `select ${gammas.join(', ')}, count(*)::double as n from ${ident(t('uvectors'))} group by all order by all`,
    );
    const uCounts = spec.comparisons.map((c, ci) => {
      const counts = new Array<number>(c.levels.length).fill(0);
      const g = u.columns[ci]!;
      const n = u.columns[u.columns.length - 1]!;
      for (let i = 0; i < u.rowCount; i++) counts[g[i]!]! += n[i]!;
      return counts;
    });
    const uPairs = u.columns[u.columns.length - 1]!.reduce((s, x) => s + x, 0);
    return { patterns, uCounts, uPairs };
  });

  const totalPairs = linkOnly ? sizes.n0 * sizes.n1 : (nRecords * (nRecords - 1)) / 2;
  const mFromLabels = options.mFromPairs
    ? await labelledLevelCounts(db, spec, t('vectors'), options.mFromPairs)
    : undefined;
  if (mFromLabels && mFromLabels.pairs < 10)
    warn(`m from labels: only ${mFromLabels.pairs} labelled matches are candidate pairs; m rests on very few pairs`);
  const weights = await timed('estimate', async () =>
    estimateWeights(spec, {
      uCounts,
      pairs: patterns,
      candidatePairs,
      totalPairs,
      uPairs,
      ...(mFromLabels ? { mCounts: mFromLabels.counts } : {}),
    }),
  );
  for (const w of weightWarnings(weights)) warn(w);

  const threshold = thresholdWeight(spec.threshold);
  const links = await timed('score', async () => {
    const priorOdds = Math.log2(weights.prior / (1 - weights.prior));
    const scoreWeights = {
      prior: priorOdds,
      comparisons: weights.comparisons.map((c) => ({
        weights: c.levels.map((l) => l.weight),
        u: c.levels.map((l) => l.u),
      })),
    };
    await run(db, linksSql(spec, scoreWeights, { vectors: t('vectors'), table: out.links, threshold }));
    return db.value<number>(`select count(*)::bigint from ${ident(out.links)}`);
  });

  const clustered = await timed('cluster', async () => {
    const e = await db.numericColumns(
      `select record_a, record_b, match_weight, shared_identifiers from ${ident(out.links)}`,
    );
    const [a, b, w, shared] = e.columns as [Float64Array, Float64Array, Float64Array, Float64Array];
    const guards: ClusterGuards = {
      strongWeight: thresholdWeight(spec.clustering.strong),
      minSharedIdentifiers: spec.clustering.min_shared_identifiers,
      bridgeMinSide: spec.clustering.bridge.min_side,
      bridgeWeight: thresholdWeight(spec.clustering.bridge.threshold),
    };
    const identifiers = spec.comparisons.filter((c) => c.identifier).map((c) => c.name);
    const keysSql = spec.clustering.corroboration ? identifierKeysQuery(spec, records) : undefined;
    if (keysSql && spec.clustering.corroboration) {
      const k = await db.numericColumns(keysSql);
      guards.corroboration = {
        keys: {
          record: Int32Array.from(k.columns[0]!),
          kind: Uint8Array.from(k.columns[1]!),
          value: Int32Array.from(k.columns[2]!),
        },
        minKinds: spec.clustering.corroboration.min_identifiers,
        maxClustersPerValue: spec.clustering.corroboration.max_clusters_per_value,
        maxClustersPerDecisiveValue: spec.clustering.corroboration.max_clusters_per_decisive_value,
        decisiveKinds: spec.comparisons
          .filter((c) => c.identifier)
          .slice(0, 16)
          .reduce((m, c, i) => (c.decisive ? m | (1 << i) : m), 0),
        neverHubKinds: spec.comparisons
          .filter((c) => c.identifier)
          .slice(0, 16)
          .reduce((m, c, i) => (c.decisive && c.never_hub ? m | (1 << i) : m), 0),
      };
    }
    const exclusiveSql = exclusiveValuesQuery(spec, records);
    if (exclusiveSql) {
      const x = await db.numericColumns(exclusiveSql);
      guards.exclusive = { record: Int32Array.from(x.columns[0]!), value: Int32Array.from(x.columns[1]!) };
    }
    const edges = { a, b, weight: w, sharedIdentifiers: shared };
    const method = spec.clustering.method;
    const result: ClusterResult =
      method === 'components'
        ? clusterComponents(sizes.maxId + 1, edges)
        : method === 'one_to_one'
          ? clusterOneToOne(sizes.maxId + 1, edges)
          : clusterRecords(sizes.maxId + 1, edges, guards);
    await db.exec(
      `create or replace table ${ident(out.corroborations)} (cluster_a bigint, cluster_b bigint, identifiers varchar)`,
    );
    await db.appendRows(
      out.corroborations,
      result.corroborations.map((c) => [
        BigInt(c.a),
        BigInt(c.b),
        identifiers.filter((_, i) => (c.kinds >> i) & 1).join('|'),
      ]),
    );
    await db.exec(`create or replace table ${ident(t('cut'))} (a bigint, b bigint, reason varchar)`);
    work.push(t('cut'));
    let weak = 0;
    let taken = 0;
    await db.appendRows(
      t('cut'),
      (function* () {
        for (let i = 0; i < e.rowCount; i++) {
          const s = result.status[i]!;
          if (s === EDGE_KEPT) continue;
          if (s === EDGE_TAKEN) taken++;
          else if (s !== EDGE_BRIDGE && s !== EDGE_CONFLICT) weak++;
          yield [
            BigInt(a[i]!),
            BigInt(b[i]!),
            s === EDGE_BRIDGE ? 'bridge' : s === EDGE_CONFLICT ? 'conflict' : s === EDGE_TAKEN ? 'one_to_one' : 'weak',
          ];
        }
      })(),
    );
    await run(db, markCutLinksSql({ links: out.links, cut: t('cut') }));

    // Only members of multi-record clusters go through the appender; SQL fills in singletons.
    const size = new Int32Array(result.cluster.length);
    for (let i = 0; i < result.cluster.length; i++) size[result.cluster[i]!]!++;
    await db.exec(`create or replace table ${ident(t('members'))} (record_id bigint, cluster_id bigint)`);
    work.push(t('members'));
    let multi = 0;
    await db.appendRows(
      t('members'),
      (function* () {
        for (let i = 0; i < result.cluster.length; i++) {
          const c = result.cluster[i]!;
          if (size[c]! < 2) continue;
          if (c === i) multi++;
          yield [BigInt(i), BigInt(c)];
        }
      })(),
    );
    await run(db, clustersSql({ records, members: t('members'), table: out.clusters }));
    const clusters = await db.value<number>(`select count(distinct cluster_id)::bigint from ${ident(out.clusters)}`);
    return {
      weak,
      taken,
      bridgesCut: result.bridgesCut,
      conflicts: result.conflicts,
      corroborations: result.corroborations.length,
      clusters,
      multi,
    };
  });

  return {
    records: nRecords,
    candidatePairs,
    rulePairs,
    warnings,
    links,
    keptLinks: links - clustered.weak - clustered.bridgesCut - clustered.conflicts - clustered.taken,
    weakLinks: clustered.weak,
    oneToOneRefused: clustered.taken,
    linkType,
    bridgesCut: clustered.bridgesCut,
    conflicts: clustered.conflicts,
    corroborations: clustered.corroborations,
    clusters: clustered.clusters,
    multiRecordClusters: clustered.multi,
    weights,
    timings,
    tables: { ...out, vectors: t('vectors') },
  };
}

/** Per comparison, how many labelled matches among the candidate pairs fall in each level. */
async function labelledLevelCounts(
  db: Db,
  spec: ResolvedLinkSpec,
  vectors: string,
  labels: string,
): Promise<{ pairs: number; counts: number[][] }> {
  const gammas = spec.comparisons.map((c) => ident(gammaColumn(c.name)));
  const g = await db.numericColumns(
    `select ${gammas.map((x) => `v.${x}`).join(', ')}, count(*)::double as n from ${ident(vectors)} v ` +
      `join ${ident(labels)} t on t.a = v.a and t.b = v.b and t.y = 1 group by all order by all`,
  );
  const n = g.columns[g.columns.length - 1]!;
  const counts = spec.comparisons.map((c, ci) => {
    const out = new Array<number>(c.levels.length).fill(0);
    for (let i = 0; i < g.rowCount; i++) out[g.columns[ci]![i]!]! += n[i]!;
    return out;
  });
  return { pairs: n.reduce((s, x) => s + x, 0), counts };
}

/** A rule as people read it: `surname+postcode`, `title:words`. */
export function ruleLabel(rule: BlockingRule): string {
  return blockingKeys(rule)
    .map((k) => (k.key === 'value' ? k.field : `${k.field}:${k.key}${k.key === 'prefix' ? k.length : ''}`))
    .join('+');
}

/** The spec's link type, checked against the number of datasets (default: dedupe one, link two). */
function resolveLinkType(spec: ResolvedLinkSpec, twoDatasets: boolean): LinkType {
  const type = spec.link_type ?? (twoDatasets ? 'link_only' : 'dedupe_only');
  const problems: string[] = [];
  if (type === 'dedupe_only' && twoDatasets)
    problems.push('link_type: "dedupe_only" takes one file; for two files use "link_only" or "link_and_dedupe"');
  if (type !== 'dedupe_only' && !twoDatasets)
    problems.push(`link_type: "${type}" needs two files (one file is deduped: "dedupe_only")`);
  if (spec.clustering.method === 'one_to_one' && type !== 'link_only')
    problems.push('clustering.method: "one_to_one" needs two files linked with link_type "link_only"');
  if (problems.length) throw new ConfigError('link spec', problems);
  return type;
}

/**
 * Every field has a column in the input (of a list, the absent ones are dropped), and ids are
 * unique non-negative integers. Returns the spec with its field columns narrowed to the input.
 */
async function checkInput(
  db: Db,
  input: string,
  idColumn: string,
  datasetColumn: string | undefined,
  spec: ResolvedLinkSpec,
): Promise<ResolvedLinkSpec> {
  let columns: string[];
  try {
    columns = (await db.all<{ column_name: string }>(`describe select * from ${ident(input)}`)).map(
      (r) => r.column_name,
    );
  } catch {
    throw new InputError(input, 'table not found; the linking stage needs its input table');
  }
  const have = new Set(columns);
  const problems: string[] = [];
  for (const col of [idColumn, ...(datasetColumn ? [datasetColumn] : [])])
    if (!have.has(col)) problems.push(`the input has no column "${col}"`);
  const fields: ResolvedLinkSpec['fields'] = {};
  for (const [name, f] of Object.entries(spec.fields)) {
    // (a composite key, `combine: "all"`, needs every one of its columns: with one missing it is unknown)
    const all = f.combine === 'all';
    const present = f.column.filter((c) => have.has(c));
    const missing = f.column.filter((c) => !have.has(c));
    if ((all ? missing.length > 0 : present.length === 0) && !f.optional) {
      const named = (all ? missing : f.column).map((c) => `"${c}"`).join(all ? ' and ' : ' or ');
      problems.push(`fields.${name}: the input has no column ${named} (columns: ${columns.join(', ')})`);
    }
    fields[name] = { ...f, column: all && missing.length > 0 ? [] : present };
  }
  if (problems.length) throw new ConfigError('link spec', problems);
  const ids = await db.one<{ n: number; d: number; lo: number; hi: number; bad: number }>(
    `select count(*)::bigint as n, count(distinct ${ident(idColumn)})::bigint as d, ` +
      `min(try_cast(${ident(idColumn)} as bigint)) as lo,
            max(try_cast(${ident(idColumn)} as bigint)) as hi, count(*) filter (where ` +
      `try_cast(${ident(idColumn)} as bigint) is null)::bigint as bad
     from ${ident(input)}`,
  );
  if (
    ids &&
    ids.n > 0 &&
    (ids.bad > 0 || ids.d !== ids.n || ids.lo < 0 || ids.hi > 2 ** 31 - 2 || ids.hi >= 8 * ids.n + 1_000_000)
  ) {
    throw new InputError(
      input,
      `column "${idColumn}" must hold unique integer ids from 0 (dense, below 2^31)`,
      undefined,
      idColumn,
    );
  }
  return { ...spec, fields };
}
