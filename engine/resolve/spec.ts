/**
 * A link specification: what to compare, how to block, how to weigh and when to merge, as plain
 * JSON (Splink-style settings). `validateLinkSpec` checks a parsed file and reports every problem
 * at once; `normalizeLinkSpec` fills defaults so the rest of resolve/ never guesses.
 */
import { ConfigError } from '../errors.js';

/** How a raw column is cleaned before comparison (the warehouse's identity_records are already clean: 'none'). */
export const normalizers = [
  'none',
  'trim',
  'lower',
  'name',
  'text',
  'number',
  'digits',
  'phone_vn',
  'email',
  'domain',
] as const;
export type Normalizer = (typeof normalizers)[number];

export interface FieldSpec {
  /**
   * Column of the input table; defaults to the field's own name. A list takes the first non-empty
   * of several columns (two files that name it differently: `["owner_name", "name"]`).
   */
  column?: string | string[];
  normalize?: Normalizer;
  /** With several columns: `first` non-empty one (default), all non-empty ones `join`ed by a space (a name in
   * two columns), or `all` of them joined by ` | ` and unknown unless every one is known (a composite key: a
   * name at an address). */
  combine?: 'first' | 'join' | 'all';
  /** The input may lack the column(s): the field is then unknown (null) on every record. */
  optional?: boolean;
}

/** A cut-off, either as a match weight (log2 Bayes factor incl. prior) or as a probability. */
export type Threshold = { match_weight: number } | { match_probability: number };

/** Word order for name-like text: compare as given, with words sorted, or the better of both. */
export type WordOrder = 'as_is' | 'sorted' | 'either';

interface LevelBase {
  label?: string;
  /** Fixed m probability (share of true matches at this level); estimated by EM when absent. */
  m?: number;
  /** Fixed u probability (share of random pairs at this level); sampled when absent. */
  u?: number;
}

/** One comparison level; levels are tried in order, the first that holds wins. */
export type LevelSpec =
  | (LevelBase & { kind: 'null' })
  | (LevelBase & {
      kind: 'exact';
      word_order?: 'as_is' | 'sorted';
      /** Term-frequency adjustment: agreement on a common value counts for less. */
      tf_adjust?: boolean;
      /** Estimate a value's frequency from its words too (Vietnamese surnames, given names). */
      tf_tokens?: boolean;
      /** Multiplies the TF adjustment (Splink's tf_adjustment_weight); default 1. */
      tf_weight?: number;
      /** Lower bound on the term frequency used (Splink's tf_minimum_u_value). */
      tf_min?: number;
    })
  | (LevelBase & { kind: 'jaro_winkler'; min: number; word_order?: WordOrder })
  | (LevelBase & { kind: 'levenshtein'; max: number })
  | (LevelBase & { kind: 'abs_diff'; max: number })
  | (LevelBase & { kind: 'rel_diff'; max: number })
  | (LevelBase & {
      kind: 'date_diff';
      max_days: number;
      /** strptime format(s) of the values, e.g. `%Y%m%d` or `["%d/%m/%Y", "%Y-%m-%d"]`; default ISO dates. */
      format?: string | string[];
    })
  /** Token sets: |A ∩ B| / |A ∪ B| ≥ min (word order and repeats ignored). */
  | (LevelBase & { kind: 'jaccard'; min: number })
  /** Cosine of TF-IDF word vectors ≥ min: rare words shared weigh more than common ones. */
  | (LevelBase & { kind: 'tfidf_cosine'; min: number })
  | (LevelBase & { kind: 'else' });

export type LevelKind = LevelSpec['kind'];

/** Caps the evidence of a value carried by many distinct names (a carrier hub's phone). */
export interface DegreeGuard {
  /** Field whose distinct values are counted among the records carrying the value. */
  name_field: string;
  /** More distinct names than this and the comparison's contribution is capped. */
  max_names: number;
  /**
   * Field whose value the names are counted on; default the comparison's own field. A composite key
   * (a name at an address) counts the names seen at its address: a post office carries many.
   */
  value_field?: string;
  /** The capped contribution (match weight bits); default 0. */
  cap_weight?: number;
  /**
   * A hub value on either side makes the comparison unknown (the null level, no evidence), agreeing
   * or not: a marketplace's collection account says nothing about who the seller is.
   */
  hubs_unknown?: boolean;
}

export interface ComparisonSpec {
  /** Unique name; it labels the pair's parts (`phone`, `phone_tf`, `phone_guard`). */
  name: string;
  /** Field compared (one field per comparison: a second phone column is one more comparison). */
  field: string;
  levels: LevelSpec[];
  /** An independent identifier: exact agreement counts towards the clustering corroboration guard. */
  identifier?: boolean;
  /**
   * With `identifier` and `clustering.corroboration`: records sharing a value (under the degree
   * guard) belong together by this alone, whatever the other fields say — a bank account has one
   * holder, and payouts and remittances go to whoever runs the business.
   */
  decisive?: boolean;
  /**
   * With `decisive`: the value is given by the delivery's own model to one business (a shop's key on
   * its record, its payouts and the marketplace parcels paired with it, int_identity_records.sql),
   * so it is never an undetected hub: it stays decisive however many clusters hold it
   * (`clustering.corroboration.max_clusters_per_decisive_value` does not apply).
   */
  never_hub?: boolean;
  degree_guard?: DegreeGuard;
}

/**
 * A blocking key made from a field: the whole value (`value`), its first `length` characters
 * (`prefix`), its words sorted (`sorted_words`), each of its words (`words`: a record has several
 * keys; words shared by more than the max block size make no pairs, so only rare words block),
 * its digits (`digits`), each word holding a digit and at least 3 characters (`model`: model
 * numbers like `sm-g991b`), a phonetic code of each word (`phonetic`: `vi` after diacritic removal,
 * or `en`, Soundex-like), or a part of a date (`year`, `year_month`, `month_day`; `format` as in
 * strptime, e.g. `%Y%m%d`; default ISO).
 */
export const blockingKeyKinds = [
  'value',
  'prefix',
  'sorted_words',
  'words',
  'digits',
  'model',
  'phonetic',
  'year',
  'year_month',
  'month_day',
] as const;
export type BlockingKeyKind = (typeof blockingKeyKinds)[number];
export interface BlockingKey {
  field: string;
  key?: BlockingKeyKind;
  /** `prefix`: characters kept. */
  length?: number;
  /** `phonetic`: language of the words; default `vi`. */
  language?: 'vi' | 'en';
  /** Date parts: strptime format(s) of the field; default ISO dates. */
  format?: string | string[];
}

/** Candidate pairs are pairs of records sharing a key on every field of at least one rule. */
export interface BlockingRule {
  /** Field names (whole-value keys) or keys made from fields (`{ "field": "title", "key": "words" }`). */
  fields: Array<string | BlockingKey>;
  /** Values shared by more records than this generate no pairs (hubs); default `max_block_size` of the spec. */
  max_block_size?: number;
}

/**
 * How links become clusters: `guarded` (default: the guards below), `components` (every link
 * merges: threshold, then connected components, as in Splink), `one_to_one` (two files, link only:
 * each record in at most one pair, best mutual matches first).
 */
export const clusteringMethods = ['guarded', 'components', 'one_to_one'] as const;
export type ClusteringMethod = (typeof clusteringMethods)[number];

/** Which pairs are candidates: within one file, across two files only, or both. */
export const linkTypes = ['dedupe_only', 'link_only', 'link_and_dedupe'] as const;
export type LinkType = (typeof linkTypes)[number];

export interface ClusteringSpec {
  method?: ClusteringMethod;
  /** (guarded) A merge edge must reach this, or be corroborated by `min_shared_identifiers`; default the threshold. */
  strong?: Threshold;
  min_shared_identifiers?: number;
  /** Bridges whose both sides hold at least `min_side` records must reach `threshold`. */
  bridge?: { min_side: number; threshold: Threshold };
  /**
   * Cluster-level corroboration: clusters sharing values of at least `min_identifiers` different
   * identifier comparisons merge (one record has the phone, another the account). Hub values
   * (over the degree guard, or found in more than `max_clusters_per_value` clusters) do not count.
   */
  corroboration?: {
    min_identifiers: number;
    max_clusters_per_value?: number;
    max_clusters_per_decisive_value?: number;
  };
  /** A field no entity may hold two unrelated values of (a holder's national ID): clusters whose known values are
   * disjoint never merge. */
  exclusive_field?: string;
}

export interface LinkSpec {
  /** Input column holding each record's own id, shown in CLI outputs; default row number. */
  unique_id?: string;
  /** Default: `dedupe_only` for one input, `link_only` for two. */
  link_type?: LinkType;
  fields: Record<string, FieldSpec>;
  comparisons: ComparisonSpec[];
  blocking: BlockingRule[];
  max_block_size?: number;
  /** Pair budget: linking stops with an error when the blocking rules would make more candidate pairs; default
   * 50,000,000. */
  max_pairs?: number;
  /** Prior probability that two random records match; estimated from EM when absent. */
  prior?: { match_probability: number };
  estimate?: {
    /** Random pairs sampled for u (all pairs when fewer exist); default 1,000,000. */
    u_sample_pairs?: number;
    em_iterations?: number;
    /** Start value of λ, the share of matches among candidate pairs; default 0.3. */
    em_start_lambda?: number;
  };
  /** Pairs below this are not links. */
  threshold: Threshold;
  /** Lower bounds of match probability for confidence codes A, B, C (D below C). */
  confidence?: { A: number; B: number; C: number };
  clustering: ClusteringSpec;
}

/** A spec with every default filled and `null`/`else` levels made explicit (first and last). */
export interface ResolvedLinkSpec extends LinkSpec {
  fields: Record<string, { column: string[]; normalize: Normalizer; combine?: 'join' | 'all'; optional?: boolean }>;
  max_block_size: number;
  max_pairs: number;
  estimate: { u_sample_pairs: number; em_iterations: number; em_start_lambda: number };
  confidence: { A: number; B: number; C: number };
  clustering: Required<Omit<ClusteringSpec, 'corroboration' | 'exclusive_field'>> &
    Pick<ClusteringSpec, 'exclusive_field'> & {
      corroboration?: {
        min_identifiers: number;
        max_clusters_per_value: number;
        max_clusters_per_decisive_value: number;
      };
    };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const levelKinds: readonly LevelKind[] = [
  'null',
  'exact',
  'jaro_winkler',
  'levenshtein',
  'jaccard',
  'tfidf_cosine',
  'abs_diff',
  'rel_diff',
  'date_diff',
  'else',
];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isProb = (v: unknown): v is number => typeof v === 'number' && v > 0 && v < 1;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkThreshold(v: unknown, at: string, problems: string[]): void {
  if (!isObj(v)) return void problems.push(`${at}: expected { "match_probability": p } or { "match_weight": w }`);
  const keys = Object.keys(v);
  if (keys.length !== 1 || !['match_probability', 'match_weight'].includes(keys[0]!)) {
    problems.push(`${at}: expected exactly one of "match_probability" or "match_weight"`);
  } else if ('match_probability' in v && !isProb(v.match_probability)) {
    problems.push(`${at}.match_probability: expected a number strictly between 0 and 1`);
  } else if ('match_weight' in v && !isNum(v.match_weight)) {
    problems.push(`${at}.match_weight: expected a finite number`);
  }
}

function checkLevel(level: unknown, at: string, index: number, count: number, problems: string[]): void {
  if (!isObj(level)) return void problems.push(`${at}: expected an object with a "kind"`);
  const kind = level.kind as LevelKind;
  if (!levelKinds.includes(kind))
    return void problems.push(
      `${at}.kind: expected one of ${levelKinds.join(', ')}, got ${JSON.stringify(level.kind)}`,
    );
  if (kind === 'null' && index !== 0) problems.push(`${at}: the "null" level must come first`);
  if (kind === 'else' && index !== count - 1) problems.push(`${at}: the "else" level must come last`);
  for (const p of ['m', 'u'] as const) {
    if (level[p] !== undefined && !(isNum(level[p]) && (level[p] as number) > 0 && (level[p] as number) <= 1)) {
      problems.push(`${at}.${p}: expected a probability in (0, 1]`);
    }
  }
  if (kind === 'null' && (level.m !== undefined || level.u !== undefined))
    problems.push(`${at}: the "null" level carries no m/u (it adds no evidence)`);
  const need = (key: string, ok: (v: unknown) => boolean, what: string) => {
    if (!ok(level[key])) problems.push(`${at}.${key}: expected ${what}, got ${JSON.stringify(level[key])}`);
  };
  const nonNeg = (v: unknown) => isNum(v) && v >= 0;
  switch (kind) {
    case 'jaro_winkler':
      need('min', (v) => isNum(v) && v > 0 && v <= 1, 'a similarity in (0, 1]');
      if (level.word_order !== undefined && !['as_is', 'sorted', 'either'].includes(level.word_order as string))
        problems.push(`${at}.word_order: expected "as_is", "sorted" or "either"`);
      break;
    case 'levenshtein':
      need('max', (v) => Number.isInteger(v) && (v as number) >= 0, 'an integer ≥ 0');
      break;
    case 'abs_diff':
    case 'rel_diff':
      need('max', nonNeg, 'a number ≥ 0');
      break;
    case 'date_diff':
      need('max_days', (v) => Number.isInteger(v) && (v as number) >= 0, 'an integer number of days ≥ 0');
      if (level.format !== undefined && !isFormats(level.format))
        problems.push(`${at}.format: expected a strptime format or a list of them, e.g. "%Y%m%d"`);
      break;
    case 'jaccard':
    case 'tfidf_cosine':
      need('min', (v) => isNum(v) && v > 0 && v <= 1, 'a similarity in (0, 1]');
      break;
    case 'exact':
      if (level.word_order !== undefined && !['as_is', 'sorted'].includes(level.word_order as string))
        problems.push(`${at}.word_order: expected "as_is" or "sorted"`);
      if (level.tf_adjust !== undefined && typeof level.tf_adjust !== 'boolean')
        problems.push(`${at}.tf_adjust: expected true or false`);
      if (level.tf_tokens !== undefined && typeof level.tf_tokens !== 'boolean')
        problems.push(`${at}.tf_tokens: expected true or false`);
      if (level.tf_tokens && !level.tf_adjust) problems.push(`${at}.tf_tokens: only meaningful with "tf_adjust": true`);
      if (level.tf_weight !== undefined && !(isNum(level.tf_weight) && level.tf_weight >= 0 && level.tf_weight <= 1))
        problems.push(`${at}.tf_weight: expected a number in [0, 1]`);
      if (level.tf_min !== undefined && !isProb(level.tf_min))
        problems.push(`${at}.tf_min: expected a probability in (0, 1)`);
      break;
  }
  for (const key of Object.keys(level)) {
    const allowed: Record<LevelKind, string[]> = {
      null: [],
      exact: ['word_order', 'tf_adjust', 'tf_tokens', 'tf_weight', 'tf_min'],
      jaro_winkler: ['min', 'word_order'],
      levenshtein: ['max'],
      abs_diff: ['max'],
      rel_diff: ['max'],
      date_diff: ['max_days', 'format'],
      jaccard: ['min'],
      tfidf_cosine: ['min'],
      else: [],
    };
    if (!['kind', 'label', 'm', 'u', ...allowed[kind]].includes(key))
      problems.push(`${at}: unknown key "${key}" for a "${kind}" level`);
  }
}

function checkBlockingKey(
  f: unknown,
  at: string,
  fieldRef: (v: unknown, at: string) => void,
  problems: string[],
): void {
  if (typeof f === 'string') {
    fieldRef(f, at);
    return;
  }
  if (!isObj(f)) {
    problems.push(`${at}: expected a field name or { "field": name, "key": kind }`);
    return;
  }
  fieldRef(f.field, `${at}.field`);
  const key = (f.key ?? 'value') as BlockingKeyKind;
  if (!blockingKeyKinds.includes(key)) {
    problems.push(`${at}.key: expected one of ${blockingKeyKinds.join(', ')}`);
    return;
  }
  for (const k of Object.keys(f))
    if (!['field', 'key', 'length', 'language', 'format'].includes(k)) problems.push(`${at}: unknown key "${k}"`);
  if (key === 'prefix' && !(Number.isInteger(f.length) && (f.length as number) >= 1))
    problems.push(`${at}.length: a "prefix" key needs "length": an integer ≥ 1`);
  if (key !== 'prefix' && f.length !== undefined) problems.push(`${at}.length: only for "prefix" keys`);
  if (f.language !== undefined && (key !== 'phonetic' || !['vi', 'en'].includes(f.language as string)))
    problems.push(`${at}.language: "vi" or "en", for "phonetic" keys only`);
  const dates = ['year', 'year_month', 'month_day'].includes(key);
  if (f.format !== undefined && (!dates || !isFormats(f.format)))
    problems.push(`${at}.format: a strptime format or a list of them (e.g. "%Y%m%d"), for date parts only`);
}

const isFormats = (v: unknown) =>
  (typeof v === 'string' && v.includes('%')) ||
  (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.includes('%')));

/** A rule's keys, with whole-value keys written out. */
export function blockingKeys(rule: BlockingRule): Array<BlockingKey & { key: BlockingKeyKind }> {
  return rule.fields.map((f) => (typeof f === 'string' ? { field: f, key: 'value' } : { ...f, key: f.key ?? 'value' }));
}

/** The fields a rule reads. */
export const blockingFields = (rule: BlockingRule): string[] => blockingKeys(rule).map((k) => k.field);

/**
 * Checks a parsed spec and returns every problem (empty when valid).
 *
 * @example
 *   linkSpecProblems({ fields: {}, comparisons: [], blocking: [], threshold: {}, clustering: {} })
 *   // ['comparisons: expected at least one comparison', 'blocking: …', 'threshold: …', …]
 */
export function linkSpecProblems(raw: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(raw)) return ['the spec must be a JSON object'];
  const known = [
    'unique_id',
    'link_type',
    'fields',
    'comparisons',
    'blocking',
    'max_block_size',
    'max_pairs',
    'prior',
    'estimate',
    'threshold',
    'confidence',
    'clustering',
    '$comment',
  ];
  for (const k of Object.keys(raw))
    if (!known.includes(k)) problems.push(`${k}: unknown key (expected one of ${known.join(', ')})`);

  if (raw.unique_id !== undefined && (typeof raw.unique_id !== 'string' || raw.unique_id === ''))
    problems.push('unique_id: expected a column name');
  if (raw.link_type !== undefined && !linkTypes.includes(raw.link_type as LinkType))
    problems.push(`link_type: expected one of ${linkTypes.join(', ')}`);
  const fields = raw.fields;
  const fieldNames = new Set<string>();
  if (!isObj(fields) || Object.keys(fields).length === 0)
    problems.push('fields: expected an object naming at least one field');
  else {
    for (const [name, f] of Object.entries(fields)) {
      fieldNames.add(name);
      if (!NAME.test(name))
        problems.push(`fields.${name}: field names are letters, digits and _ (not starting with a digit)`);
      if (name.includes('__')) problems.push(`fields.${name}: "__" is reserved for derived columns`);
      if (!isObj(f)) {
        problems.push(`fields.${name}: expected an object like { "column": "phone", "normalize": "phone_vn" }`);
        continue;
      }
      const cols = Array.isArray(f.column) ? f.column : [f.column];
      if (f.column !== undefined && (cols.length === 0 || cols.some((c) => typeof c !== 'string' || c === '')))
        problems.push(`fields.${name}.column: expected a column name or a list of column names`);
      if (f.normalize !== undefined && !normalizers.includes(f.normalize as Normalizer))
        problems.push(`fields.${name}.normalize: expected one of ${normalizers.join(', ')}`);
      if (f.combine !== undefined && !['first', 'join', 'all'].includes(f.combine as string))
        problems.push(`fields.${name}.combine: expected "first", "join" or "all"`);
      if (f.optional !== undefined && typeof f.optional !== 'boolean')
        problems.push(`fields.${name}.optional: expected true or false`);
    }
  }
  const fieldRef = (v: unknown, at: string) => {
    if (typeof v !== 'string' || !fieldNames.has(v))
      problems.push(`${at}: ${JSON.stringify(v)} is not a field declared in "fields"`);
  };

  const comparisons = raw.comparisons;
  if (!Array.isArray(comparisons) || comparisons.length === 0)
    problems.push('comparisons: expected at least one comparison');
  else {
    const seen = new Set<string>();
    comparisons.forEach((c, i) => {
      const at = `comparisons[${i}]`;
      if (!isObj(c)) return void problems.push(`${at}: expected an object with name, field and levels`);
      if (typeof c.name !== 'string' || !NAME.test(c.name)) problems.push(`${at}.name: expected letters, digits and _`);
      else if (seen.has(c.name)) problems.push(`${at}.name: "${c.name}" is used twice`);
      else if (c.name === 'prior') problems.push(`${at}.name: "prior" is reserved`);
      else seen.add(c.name);
      fieldRef(c.field, `${at}.field`);
      if (!Array.isArray(c.levels) || c.levels.length === 0) problems.push(`${at}.levels: expected at least one level`);
      else {
        c.levels.forEach((l, j) => checkLevel(l, `${at}.levels[${j}]`, j, (c.levels as unknown[]).length, problems));
        const real = (c.levels as Array<{ kind?: unknown }>).filter(
          (l) => isObj(l) && l.kind !== 'null' && l.kind !== 'else',
        );
        if (real.length === 0) problems.push(`${at}.levels: expected at least one level besides "null" and "else"`);
      }
      if (c.identifier !== undefined && typeof c.identifier !== 'boolean')
        problems.push(`${at}.identifier: expected true or false`);
      if (c.decisive !== undefined && typeof c.decisive !== 'boolean')
        problems.push(`${at}.decisive: expected true or false`);
      if (c.decisive && !c.identifier) problems.push(`${at}.decisive: only meaningful with "identifier": true`);
      if (c.never_hub !== undefined && typeof c.never_hub !== 'boolean')
        problems.push(`${at}.never_hub: expected true or false`);
      if (c.never_hub && !c.decisive) problems.push(`${at}.never_hub: only meaningful with "decisive": true`);
      if (c.degree_guard !== undefined) {
        const g = c.degree_guard;
        if (!isObj(g))
          problems.push(`${at}.degree_guard: expected { name_field, max_names, cap_weight?, value_field? }`);
        else {
          fieldRef(g.name_field, `${at}.degree_guard.name_field`);
          if (g.value_field !== undefined) fieldRef(g.value_field, `${at}.degree_guard.value_field`);
          if (!(Number.isInteger(g.max_names) && (g.max_names as number) >= 1))
            problems.push(`${at}.degree_guard.max_names: expected an integer ≥ 1`);
          if (g.cap_weight !== undefined && !isNum(g.cap_weight))
            problems.push(`${at}.degree_guard.cap_weight: expected a number`);
          if (g.hubs_unknown !== undefined && typeof g.hubs_unknown !== 'boolean')
            problems.push(`${at}.degree_guard.hubs_unknown: expected true or false`);
        }
      }
    });
  }

  const blocking = raw.blocking;
  if (!Array.isArray(blocking) || blocking.length === 0)
    problems.push('blocking: expected at least one rule like { "fields": ["phone"] }');
  else if (blocking.length > 30) problems.push('blocking: at most 30 rules');
  else {
    blocking.forEach((b, i) => {
      const at = `blocking[${i}]`;
      if (!isObj(b) || !Array.isArray(b.fields) || b.fields.length === 0)
        return void problems.push(`${at}: expected { "fields": [field, …] }`);
      b.fields.forEach((f, j) => checkBlockingKey(f, `${at}.fields[${j}]`, fieldRef, problems));
      if (b.max_block_size !== undefined && !(Number.isInteger(b.max_block_size) && (b.max_block_size as number) >= 2))
        problems.push(`${at}.max_block_size: expected an integer ≥ 2`);
    });
  }
  if (
    raw.max_block_size !== undefined &&
    !(Number.isInteger(raw.max_block_size) && (raw.max_block_size as number) >= 2)
  )
    problems.push('max_block_size: expected an integer ≥ 2');
  if (raw.max_pairs !== undefined && !(Number.isInteger(raw.max_pairs) && (raw.max_pairs as number) >= 1))
    problems.push('max_pairs: expected an integer ≥ 1');
  if (raw.prior !== undefined && !(isObj(raw.prior) && isProb(raw.prior.match_probability)))
    problems.push('prior: expected { "match_probability": p } with 0 < p < 1');
  if (raw.estimate !== undefined) {
    const e = raw.estimate;
    if (!isObj(e)) problems.push('estimate: expected an object');
    else {
      if (
        e.u_sample_pairs !== undefined &&
        !(Number.isInteger(e.u_sample_pairs) && (e.u_sample_pairs as number) >= 100)
      )
        problems.push('estimate.u_sample_pairs: expected an integer ≥ 100');
      if (
        e.em_iterations !== undefined &&
        !(Number.isInteger(e.em_iterations) && (e.em_iterations as number) >= 0 && (e.em_iterations as number) <= 1000)
      )
        problems.push('estimate.em_iterations: expected an integer 0–1000');
      if (e.em_start_lambda !== undefined && !isProb(e.em_start_lambda))
        problems.push('estimate.em_start_lambda: expected a probability in (0, 1)');
    }
  }
  checkThreshold(raw.threshold, 'threshold', problems);
  if (raw.confidence !== undefined) {
    const c = raw.confidence;
    if (!isObj(c) || !isProb(c.A) || !isProb(c.B) || !isProb(c.C))
      problems.push('confidence: expected { "A": p, "B": p, "C": p } with probabilities in (0, 1)');
    else if (!((c.A as number) > (c.B as number) && (c.B as number) > (c.C as number)))
      problems.push('confidence: expected A > B > C');
  }
  const cl = raw.clustering;
  if (!isObj(cl))
    problems.push(
      'clustering: expected { "method"?, "strong"?: threshold, "min_shared_identifiers"?, "bridge"?, ' +
        '"corroboration"?, "exclusive_field"? }',
    );
  else {
    if (cl.method !== undefined && !clusteringMethods.includes(cl.method as ClusteringMethod))
      problems.push(`clustering.method: expected one of ${clusteringMethods.join(', ')}`);
    if (cl.method === 'one_to_one' && raw.link_type !== undefined && raw.link_type !== 'link_only')
      problems.push('clustering.method: "one_to_one" links two files only (link_type "link_only")');
    const guarded = cl.method === undefined || cl.method === 'guarded';
    if (!guarded) {
      for (const k of ['strong', 'min_shared_identifiers', 'bridge', 'corroboration', 'exclusive_field']) {
        if (cl[k] !== undefined)
          problems.push(`clustering.${k}: only for "method": "guarded" (${JSON.stringify(cl.method)} has no guards)`);
      }
    }
    for (const k of Object.keys(cl)) {
      if (!['method', 'strong', 'min_shared_identifiers', 'bridge', 'corroboration', 'exclusive_field'].includes(k))
        problems.push(`clustering.${k}: unknown key`);
    }
    if (cl.corroboration !== undefined) {
      const c = cl.corroboration;
      if (!isObj(c) || !(Number.isInteger(c.min_identifiers) && (c.min_identifiers as number) >= 2)) {
        problems.push(
          'clustering.corroboration: expected { "min_identifiers": n ≥ 2, "max_clusters_per_value"?: n ≥ 2 }',
        );
      } else if (
        c.max_clusters_per_value !== undefined &&
        !(Number.isInteger(c.max_clusters_per_value) && (c.max_clusters_per_value as number) >= 2)
      ) {
        problems.push('clustering.corroboration.max_clusters_per_value: expected an integer ≥ 2');
      } else if (
        c.max_clusters_per_decisive_value !== undefined &&
        !(Number.isInteger(c.max_clusters_per_decisive_value) && (c.max_clusters_per_decisive_value as number) >= 2)
      ) {
        problems.push('clustering.corroboration.max_clusters_per_decisive_value: expected an integer ≥ 2');
      }
    }
    if (cl.exclusive_field !== undefined) fieldRef(cl.exclusive_field, 'clustering.exclusive_field');
    if (cl.strong !== undefined) checkThreshold(cl.strong, 'clustering.strong', problems);
    if (
      cl.min_shared_identifiers !== undefined &&
      !(Number.isInteger(cl.min_shared_identifiers) && (cl.min_shared_identifiers as number) >= 1)
    )
      problems.push('clustering.min_shared_identifiers: expected an integer ≥ 1');
    if (cl.bridge !== undefined) {
      const b = cl.bridge;
      if (!isObj(b)) problems.push('clustering.bridge: expected { "min_side": s, "threshold": threshold }');
      else {
        if (!(Number.isInteger(b.min_side) && (b.min_side as number) >= 1))
          problems.push('clustering.bridge.min_side: expected an integer ≥ 1');
        checkThreshold(b.threshold, 'clustering.bridge.threshold', problems);
      }
    }
    if (isObj(cl.strong) && isObj(raw.threshold) && problems.length === 0) {
      if (thresholdWeight(cl.strong as Threshold) < thresholdWeight(raw.threshold as Threshold))
        problems.push('clustering.strong: must not be below "threshold"');
    }
  }
  return problems;
}

/**
 * Validates and fills defaults; throws one ConfigError listing every problem.
 *
 * @example
 *   const spec = normalizeLinkSpec(JSON.parse(text), 'spec.json');
 *   spec.comparisons[0].levels[0].kind; // 'null' (added when missing)
 */
export function normalizeLinkSpec(raw: unknown, source = 'link spec'): ResolvedLinkSpec {
  const problems = linkSpecProblems(raw);
  if (problems.length > 0) throw new ConfigError(source, problems);
  const spec = structuredClone(raw) as LinkSpec;
  const fields: ResolvedLinkSpec['fields'] = {};
  for (const [name, f] of Object.entries(spec.fields)) {
    fields[name] = {
      column: f.column === undefined ? [name] : Array.isArray(f.column) ? f.column : [f.column],
      normalize: f.normalize ?? 'none',
      ...(f.combine === 'join' || f.combine === 'all' ? { combine: f.combine } : {}),
      ...(f.optional ? { optional: true } : {}),
    };
  }
  const comparisons = spec.comparisons.map((c) => {
    const levels = [...c.levels];
    if (levels[0]!.kind !== 'null') levels.unshift({ kind: 'null' });
    if (levels[levels.length - 1]!.kind !== 'else') levels.push({ kind: 'else' });
    return { ...c, levels: levels.map((l) => ({ ...l, label: l.label ?? levelLabel(l) })) };
  });
  return {
    ...spec,
    fields,
    comparisons,
    max_block_size: spec.max_block_size ?? 2000,
    max_pairs: spec.max_pairs ?? 50_000_000,
    estimate: {
      u_sample_pairs: spec.estimate?.u_sample_pairs ?? 1_000_000,
      em_iterations: spec.estimate?.em_iterations ?? 25,
      em_start_lambda: spec.estimate?.em_start_lambda ?? 0.3,
    },
    confidence: spec.confidence ?? { A: 0.999, B: 0.99, C: 0.95 },
    clustering: {
      method: spec.clustering.method ?? 'guarded',
      strong: spec.clustering.strong ?? spec.threshold,
      min_shared_identifiers: spec.clustering.min_shared_identifiers ?? 2,
      bridge: spec.clustering.bridge ?? { min_side: 3, threshold: spec.clustering.strong ?? spec.threshold },
      ...(spec.clustering.corroboration
        ? {
            corroboration: {
              min_identifiers: spec.clustering.corroboration.min_identifiers,
              max_clusters_per_value: spec.clustering.corroboration.max_clusters_per_value ?? 50,
              max_clusters_per_decisive_value: spec.clustering.corroboration.max_clusters_per_decisive_value ?? 3,
            },
          }
        : {}),
      ...(spec.clustering.exclusive_field ? { exclusive_field: spec.clustering.exclusive_field } : {}),
    },
  };
}

/** A readable label for a level, e.g. `jaro_winkler >= 0.88 (either order)`. */
export function levelLabel(l: LevelSpec): string {
  switch (l.kind) {
    case 'null':
      return 'null';
    case 'else':
      return 'else';
    case 'exact':
      return `exact${l.word_order === 'sorted' ? ' (words sorted)' : ''}${l.tf_adjust ? ' +tf' : ''}`;
    case 'jaro_winkler':
      return `jaro_winkler >= ${l.min}${l.word_order && l.word_order !== 'as_is' ? ` (${l.word_order} order)` : ''}`;
    case 'levenshtein':
      return `levenshtein <= ${l.max}`;
    case 'abs_diff':
      return `abs diff <= ${l.max}`;
    case 'rel_diff':
      return `rel diff <= ${l.max}`;
    case 'date_diff':
      return `date diff <= ${l.max_days} days`;
    case 'jaccard':
      return `jaccard >= ${l.min}`;
    case 'tfidf_cosine':
      return `tfidf cosine >= ${l.min}`;
  }
}

/**
 * A threshold as a match weight (log2 odds).
 *
 * @example thresholdWeight({ match_probability: 0.5 }) // 0
 */
export function thresholdWeight(t: Threshold): number {
  if ('match_weight' in t) return t.match_weight;
  return Math.log2(t.match_probability / (1 - t.match_probability));
}

/** Match probability of a match weight: 2^w / (1 + 2^w). */
export function weightToProbability(w: number): number {
  return 1 / (1 + Math.pow(2, -w));
}
