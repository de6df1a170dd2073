import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { defaultTaxRules, type TaxYearRules } from './tax-rules.js';
import { defaultIngestConfig, validateIngestConfig, type IngestConfig } from '../ingest/options.js';

export * from './tax-rules.js';

/** Everything a run can be told. Defaults below; a JSON file passed with --config overrides any part. */
export interface Config {
  /** DuckDB memory limit ('3GB'); spills to the workspace beyond it. */
  memoryLimit: string;
  /** DuckDB threads and scoring worker threads. */
  threads: number;
  /** Seed for every random choice of a run (control slice, forest). */
  seed: number;
  taxRules: Record<string, TaxYearRules>;
  /** How each source's files differ from the contract (column names, date/money formats, encoding); see engine/ingest/options.ts. */
  ingest: IngestConfig;
  resolve: {
    /** `scored`: Fellegi–Sunter links with guards (engine/resolve); `exact`: the walking skeleton's exact-identifier join. */
    method: 'scored' | 'exact';
  };
  score: {
    /** `full`: rules, peer statistics and the forest; `baseline`: rank by observed minus declared revenue (for comparisons). */
    mode: 'full' | 'baseline';
    /** Weight of the calibrated forest in the probability of under-declaration (the rest: rules). */
    forestWeight: number;
  };
  rank: {
    /** Capacity: how many cases the list holds (0 = all entities with a positive gap). */
    capacity: number;
    /** Share of the list given to a random control slice, flagged in the output. */
    controlShare: number;
    /** Optional cap on scored cases per province in the work list, e.g. { "Hồ Chí Minh": 60 }. */
    provinceQuotas: Record<string, number>;
  };
  output: {
    language: 'vi' | 'en';
    maskPii: boolean;
    /** Most cases written to cases.xlsx (the best ones; a note sheet points at csv/parquet for all). 0 = all. */
    xlsxMaxRows: number;
  };
}

export const defaultConfig: Config = {
  memoryLimit: '3GB',
  threads: 2,
  seed: 1,
  taxRules: defaultTaxRules,
  ingest: defaultIngestConfig,
  resolve: { method: 'scored' },
  score: { mode: 'full', forestWeight: 0.5 },
  rank: { capacity: 0, controlShare: 0.03, provinceQuotas: {} },
  output: { language: 'vi', maskPii: false, xlsxMaxRows: 20_000 },
};

type Json = unknown;

function mergeDeep(base: Json, over: Json): Json {
  if (over === undefined) return base;
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Record<string, Json> = { ...(base as Record<string, Json>) };
    for (const [k, v] of Object.entries(over as Record<string, Json>)) out[k] = mergeDeep((base as Record<string, Json>)[k], v);
    return out;
  }
  return over;
}

/** Checks a merged config; returns every problem found (empty when valid). */
export function validateConfig(c: Config): string[] {
  const problems: string[] = [];
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(c.memoryLimit)) problems.push(`memoryLimit: expected e.g. "3GB", got ${JSON.stringify(c.memoryLimit)}`);
  if (!Number.isInteger(c.threads) || c.threads < 1 || c.threads > 64) problems.push(`threads: expected an integer 1–64, got ${JSON.stringify(c.threads)}`);
  if (!Number.isInteger(c.seed)) problems.push(`seed: expected an integer, got ${JSON.stringify(c.seed)}`);
  if (!Number.isInteger(c.rank.capacity) || c.rank.capacity < 0) problems.push(`rank.capacity: expected an integer ≥ 0`);
  for (const [p, q] of Object.entries(c.rank.provinceQuotas ?? {})) {
    if (!Number.isInteger(q) || q < 0) problems.push(`rank.provinceQuotas.${p}: expected a whole number of cases ≥ 0`);
  }
  if (!(c.rank.controlShare >= 0 && c.rank.controlShare < 0.5)) problems.push(`rank.controlShare: expected a share in [0, 0.5)`);
  if (!['full', 'baseline'].includes(c.score.mode)) problems.push(`score.mode: expected "full" or "baseline"`);
  if (!(c.score.forestWeight >= 0 && c.score.forestWeight <= 1)) problems.push(`score.forestWeight: expected a weight in [0, 1]`);
  if (!['scored', 'exact'].includes(c.resolve.method)) problems.push(`resolve.method: expected "scored" or "exact"`);
  if (!['vi', 'en'].includes(c.output.language)) problems.push(`output.language: expected "vi" or "en"`);
  if (!Number.isInteger(c.output.xlsxMaxRows) || c.output.xlsxMaxRows < 0) problems.push(`output.xlsxMaxRows: expected a whole number of cases ≥ 0 (0 = all)`);
  problems.push(...validateIngestConfig(c.ingest));
  for (const [year, r] of Object.entries(c.taxRules)) {
    if (!/^\d{4}$/.test(year)) problems.push(`taxRules.${year}: key must be a tax year like "2026"`);
    if (!(r.threshold >= 0)) problems.push(`taxRules.${year}.threshold: expected VND ≥ 0`);
    for (const [g, rate] of Object.entries(r.rates ?? {})) {
      if (!(rate.vat >= 0 && rate.vat < 1 && rate.pit >= 0 && rate.pit < 1)) problems.push(`taxRules.${year}.rates.${g}: vat and pit must be fractions in [0, 1)`);
    }
  }
  return problems;
}

/** Loads defaults, overlays the JSON file if given, validates everything at once. */
export function loadConfig(file?: string, overrides: Partial<Config> = {}): Config {
  let fromFile: Json = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError(file, ['cannot read the file; check the path given to --config']);
    }
    try {
      fromFile = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(file, [`not valid JSON (${(err as Error).message})`]);
    }
  }
  const merged = mergeDeep(mergeDeep(defaultConfig, fromFile), overrides) as Config;
  const problems = validateConfig(merged);
  if (problems.length) throw new ConfigError(file ?? 'config', problems);
  return merged;
}

/** Stable hash of a config (key order does not matter); recorded in run.json and models. */
export function configHash(c: Config): string {
  return createHash('sha256').update(stableStringify(c)).digest('hex').slice(0, 16);
}

export function stableStringify(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
  const o = v as Record<string, Json>;
  return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + stableStringify(o[k])).join(',') + '}';
}
