import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { taxRulesSchema } from './tax-rules.js';
import { ingestConfigSchema } from '../ingest/options.js';
import { schemaProblems } from './zod-tools.js';
import { provinceQuotaKeys } from './province-keys.js';
import { sizeInBytes } from '../sizes.js';

export * from './tax-rules.js';
export { sizeInBytes } from '../sizes.js';

/** Below this DuckDB cannot read a delivery file of any size; above the maximum it is a typo. */
export const memoryLimitRange = { min: 64e6, minText: '64MB', max: 1000e12, maxText: '1000TB' } as const;

const memorySize = z
  .string()
  .superRefine((text, ctx) => {
    const bytes = sizeInBytes(text);
    const range = `${memoryLimitRange.minText} to ${memoryLimitRange.maxText}`;
    const shown = JSON.stringify(text.slice(0, 40));
    const problem =
      bytes === undefined
        ? `expected a size such as "3GB" (KB, MB, GB, TB, KiB … TiB), got ${shown}`
        : bytes < memoryLimitRange.min
          ? `${shown} is too small: DuckDB needs at least ${memoryLimitRange.minText} to read a delivery; ` +
            `expected ${range}, e.g. "3GB"`
          : bytes > memoryLimitRange.max
            ? `${shown} is beyond ${memoryLimitRange.maxText}; expected ${range}, e.g. "3GB"`
            : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ typeLabel: `size ${memoryLimitRange.minText}–${memoryLimitRange.maxText}` });

/**
 * Everything a run can be told, with its defaults: the one source of the `Config` type, of the
 * checks `loadConfig` runs and of docs/config.md (`npm run docs:config`). Objects are strict: a key
 * not declared here is an error, never ignored. A JSON file passed with --config overrides any part.
 */
export const configSchema = z.strictObject({
  memoryLimit: memorySize
    .default('1.5GB')
    .describe(
      'DuckDB memory limit; spills to the workspace beyond it. The whole process peaks above it (Node, ' +
        "the scoring workers, DuckDB's own overhead): 50,000 persons peaked at 1.7 GB with 1.5GB, " +
        '2.2–2.7 GB with 2GB, 3.1–3.3 GB with 3GB; 200,000 persons at 2.7 GB with 1.5GB (the run gives freed ' +
        "memory back on DuckDB's allocator background thread; without it 2.9–3.3 GB).",
    ),
  threads: z.number().int().min(1).max(64).default(2).describe('DuckDB threads and scoring worker threads.'),
  seed: z
    .number()
    .int()
    .default(1)
    .describe('Seed for every random choice of a run (control slice, forest, link sampling).'),
  taxRules: taxRulesSchema,
  ingest: ingestConfigSchema.prefault({}),
  engine: z
    .strictObject({
      name: z
        .enum(['duckdb', 'spark'])
        .default('duckdb')
        .describe(
          'Where the SQL models run: `duckdb` (embedded, the default) or `spark` (staging, intermediate and ' +
            'marts on Apache Spark over the Parquet lake; needs `npm run setup:spark`; docs/spark.md).',
        ),
      sparkMaster: z
        .string()
        .min(1)
        .default('local[2]')
        .describe('Spark master for `name: spark`: `local[N]`, `spark://HOST:7077`, `yarn` or `k8s://…`.'),
      driverMemory: z.string().default('2g').describe('Memory of the Spark driver (spark-submit --driver-memory).'),
      shufflePartitions: z
        .number()
        .int()
        .min(1)
        .default(4)
        .describe('spark.sql.shuffle.partitions: raise it with the data (about 2–3 per executor core).'),
      sparkConf: z
        .record(z.string(), z.string().describe('The value of one Spark setting, e.g. `8g`.'))
        .default({})
        .describe('Further Spark settings passed to spark-submit as --conf KEY=VALUE (e.g. executor memory).'),
      lake: z
        .string()
        .nullable()
        .default(null)
        .describe(
          'Folder (or file-system URL Spark and DuckDB can both write) of the Parquet lake ingest writes for ' +
            'Spark: `source=/tax_year=/month=` partitions; null: WS/lake. Written only with `name: spark`.',
        ),
    })
    .prefault({})
    .describe('The SQL engine of the row-level stages (docs/spark.md).'),
  resolve: z
    .strictObject({
      method: z
        .enum(['scored', 'exact'])
        .default('scored')
        .describe(
          '`scored`: Fellegi–Sunter links with guards (engine/resolve); ' +
            "`exact`: the walking skeleton's exact-identifier join (a baseline).",
        ),
    })
    .prefault({})
    .describe('How records are linked into seller entities.'),
  score: z
    .strictObject({
      mode: z
        .enum(['full', 'baseline'])
        .default('full')
        .describe(
          '`full`: rules, peer statistics and the forest; ' +
            '`baseline`: rank by observed minus declared revenue (for comparisons).',
        ),
      forestWeight: z
        .number()
        .min(0)
        .max(1)
        .default(0.5)
        .describe('Weight of the calibrated forest in the probability of under-declaration (the rest: rules).'),
      activity: z
        .strictObject({
          method: z
            .enum(['mix', 'goods'])
            .default('mix')
            .describe(
              'How a seller the registry does not classify is priced: `mix`: the group its words name, else the ' +
                'mix of groups among registered sellers with the same channels (docs/domain.md); ' +
                '`goods`: the goods rate, the lowest (the engine before issue 21, for comparisons).',
            ),
          minGroupSize: z
            .number()
            .int()
            .min(1)
            .default(30)
            .describe(
              'Registered sellers a channel-profile group needs before its mix is used: in the province, ' +
                'else nationally, else every registered seller, else the goods rate.',
            ),
        })
        .prefault({})
        .describe('The activity group (tax rate) of sellers the registry does not classify.'),
    })
    .prefault({})
    .describe('How entities are scored.'),
  rank: z
    .strictObject({
      capacity: z
        .number()
        .int()
        .min(0)
        .default(500)
        .describe(
          'How many cases the work list holds, its random control slice included (0 = every entity with a ' +
            'reason or a positive tax gap). The full ranking of every entity stays in cases.csv / .parquet.',
        ),
      controlShare: z
        .number()
        .min(0)
        .lt(0.5)
        .default(0.03)
        .describe('Share of the list given to a random control slice, flagged in the output.'),
      provinceQuotas: z
        .record(
          z.string().min(1, 'expected a province name'),
          z
            .number()
            .int()
            .min(0)
            .describe(
              'Most cases the work list takes from this province (one of the 34 current provinces, as in the ' +
                'province column of cases.csv; written without diacritics or as an alias the engine reads, ' +
                'e.g. "Ho Chi Minh", "TP.HCM", "Sài Gòn", it counts for that province).',
            ),
        )
        .superRefine(provinceQuotaKeys.check)
        .transform(provinceQuotaKeys.canonical)
        .default({})
        .meta({ keyName: 'province' })
        .describe(
          'Optional cap on scored cases per province in the work list, e.g. `{ "Hồ Chí Minh": 60 }`; a name ' +
            'that is not a current province (a typo, a pre-2025 province such as "Bình Dương", one province ' +
            'twice) is a config error with a did-you-mean.',
        ),
    })
    .prefault({})
    .describe('How the work list is cut.'),
  output: z
    .strictObject({
      language: z
        .enum(['vi', 'en'])
        .default('vi')
        .describe(
          'Language of reasons, report texts, numbers and dates people read (vi: 1.234.567, 0,994; en: ' +
            '1,234,567, 0.994); `--lang` on any command.',
        ),
      maskPii: z
        .boolean()
        .default(false)
        .describe('Mask IDs, phones and accounts in every export (also `--mask-pii`).'),
      xlsxMaxRows: z
        .number()
        .int()
        .min(0)
        .default(20_000)
        .describe(
          'Most cases written to cases.xlsx (the best ones; a note sheet points at csv/parquet for all). 0 = all.',
        ),
    })
    .prefault({})
    .describe('What the exports look like.'),
  status: z
    .strictObject({
      maxAgeHours: z
        .number()
        .gt(0)
        .max(24 * 366)
        .default(26)
        .describe(
          'Hours after the end of the last successful run before `sangloc status` warns (exit 1): ' +
            'a nightly run plus slack.',
        ),
    })
    .prefault({})
    .describe('What `sangloc status` calls stale (a run does not read it; outside the config hash).'),
  retention: z
    .strictObject({
      runs: z
        .number()
        .int()
        .min(1)
        .default(30)
        .describe(
          'Run folders `sangloc prune` keeps, newest first ' +
            '(`latest` and the runs audit outcomes point to are kept besides).',
        ),
      years: z
        .number()
        .min(1)
        .max(100)
        .default(10)
        .describe(
          'Delivered rows, rejects and warnings of files loaded longer ago are deleted by `sangloc prune` ' +
            '(10: the years of tax that can still be collected, Law on Tax Administration 38/2019 art. 137; ' +
            'docs/operations.md).',
        ),
    })
    .prefault({})
    .describe('What `sangloc prune` keeps; a run never deletes anything itself (outside the config hash).'),
});

/** A run's configuration, as `loadConfig` returns it (every default filled in). */
export type Config = z.output<typeof configSchema>;

/** The defaults: what the schema makes of an empty config. */
export const defaultConfig: Config = configSchema.parse({});

type Json = unknown;

/** Objects merge key by key; any other value (array, number, string) replaces. */
function mergeDeep(base: Json, over: Json): Json {
  if (over === undefined) return base;
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, Json> = { ...base };
    // defineProperty: a key "__proto__" stays a key (and is refused as unknown), never a prototype.
    for (const [k, v] of Object.entries(over)) {
      const value = mergeDeep(Object.hasOwn(base, k) ? base[k] : undefined, v);
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return over;
}

function isPlainObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every problem of a whole config (defaults merged in), one line each naming the key; empty when valid.
 *
 * @example validateConfig({ ...defaultConfig, outptu: { maskPii: true } })
 *   // ['outptu: unknown key; did you mean "output"?']
 */
export function validateConfig(c: unknown): string[] {
  return schemaProblems(configSchema, c);
}

/**
 * Every problem of an `ingest` config section, as `ingest.sources.<source>.<key>: …` lines (empty when valid).
 *
 * @example validateIngestConfig({ sources: { bank_transactions: { rename: { 'Số tiền': 'amout' } } } })
 *   // ['ingest.sources.bank_transactions.rename.Số tiền: "amout" is not a column of bank_transactions (…)']
 */
export function validateIngestConfig(ingest: unknown): string[] {
  return schemaProblems(ingestConfigSchema, ingest, ['ingest']);
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * Loads defaults, overlays the JSON file if given (objects merge key by key), then `overrides`
 * (command-line flags); validates everything at once and throws one ConfigError listing every problem.
 */
export function loadConfig(file?: string, overrides: DeepPartial<Config> = {}): Config {
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
  const merged = isPlainObject(fromFile) ? mergeDeep(mergeDeep(defaultConfig, fromFile), overrides) : fromFile;
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(file ?? 'config', validateConfig(merged));
  return parsed.data;
}

/**
 * The settings of `config` that differ from the defaults, one `path = value (default …)` line each,
 * in the schema's key order; a key the defaults lack (a new tax year, a source's ingest settings)
 * is one line with its whole value. Config holds no personal data, so the lines can go to the log.
 *
 * @example changedSettings(loadConfig('c.json')) // ['rank.capacity = 500 (default 0)']
 */
export function changedSettings(config: Config, defaults: Config = defaultConfig): string[] {
  const lines: string[] = [];
  const walk = (value: Json, base: Json, path: string[]): void => {
    if (isPlainObject(value) && isPlainObject(base)) {
      for (const key of Object.keys(value)) walk(value[key], base[key], [...path, key]);
    } else if (stableStringify(value) !== stableStringify(base)) {
      const was = base === undefined ? 'not set by default' : `default ${stableStringify(base)}`;
      lines.push(`${path.join('.')} = ${stableStringify(value)} (${was})`);
    }
  };
  walk(config, defaults, []);
  return lines;
}

/** Stable hash of a config (key order does not matter); recorded in run.json and models. */
export function configHash(c: Config): string {
  // `status` and `retention` govern how the workspace is kept, not what a run computes: outside the hash.
  const { status: _status, retention: _retention, ...computed } = c;
  return createHash('sha256').update(stableStringify(computed)).digest('hex').slice(0, 16);
}

export function stableStringify(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
  const o = v as Record<string, Json>;
  return (
    '{' +
    Object.keys(o)
      .sort()
      .map((k) => JSON.stringify(k) + ':' + stableStringify(o[k]))
      .join(',') +
    '}'
  );
}
