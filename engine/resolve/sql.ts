/**
 * SQL generators for linking, used only where the SQL must follow the spec (Splink's approach).
 * Each returns `{ sql, table, params }`: names pass through `ident()`, values are bound as `$pN`.
 * Aliases `l` and `r` are the left and right record of a pair.
 */
import { ident, type SqlValue } from '../warehouse/db.js';
import {
  blockingKeys,
  type BlockingKey,
  type BlockingRule,
  type ComparisonSpec,
  type LevelSpec,
  type Normalizer,
  type ResolvedLinkSpec,
} from './spec.js';

export interface SqlStep {
  sql: string;
  /** The table the statement creates. */
  table: string;
  params: Record<string, SqlValue>;
}

/** Collects bound values and hands out their placeholders. */
export class Binder {
  readonly params: Record<string, SqlValue> = {};
  private n = 0;
  /** Binds a value; returns its placeholder, e.g. `$p0`. */
  bind(value: SqlValue): string {
    const key = `p${this.n++}`;
    this.params[key] = value;
    return `$${key}`;
  }
}

const q = ident;

/** SQL that cleans a raw text column (already cast to varchar) the way a normalizer says. */
export function normalizeExpr(
  column: string | string[],
  how: Normalizer,
  combine: 'first' | 'join' | 'all' = 'first',
): string {
  const cols = (Array.isArray(column) ? column : [column]).map((c) => `nullif(trim(cast(${q(c)} as varchar)), '')`);
  const x =
    cols.length === 1
      ? cols[0]!
      : combine === 'join'
        ? `nullif(concat_ws(' ', ${cols.join(', ')}), '')`
        : combine === 'all'
          ? `(case when ${cols.map((c) => `${c} is not null`).join(' and ')} ` +
            `then concat_ws(' | ', ${cols.join(', ')}) end)`
          : `coalesce(${cols.join(', ')})`;
  const digits = `regexp_replace(${x}, '[^0-9]', '', 'g')`;
  switch (how) {
    case 'none':
      return x;
    case 'trim':
      return `nullif(trim(${x}), '')`;
    case 'lower':
    case 'email':
      return `nullif(lower(trim(${x})), '')`;
    case 'name':
      return `nullif(trim(regexp_replace(strip_accents(replace(lower(${x}), 'đ', 'd')), '[^a-z0-9]+', ' ', 'g')), '')`;
    case 'text':
      return (
        `nullif(trim(regexp_replace(strip_accents(replace(lower(${decodeHtmlEntities(x)}), 'đ', 'd')), ` +
        `'[^a-z0-9]+', ' ', 'g')), '')`
      );
    case 'number':
      return parseNumberExpr(x);
    case 'digits':
      return `nullif(${digits}, '')`;
    case 'phone_vn':
      return `(select case when length(d) = 10 and d[1] = '0' then d
                            when length(d) = 11 and d[1:2] = '84' then '0' || d[3:]
                            when length(d) = 9 and d[1] <> '0' then '0' || d end
               from (select ${digits} as d))`;
    case 'domain':
      return (
        `nullif(regexp_replace(regexp_replace(regexp_replace(lower(trim(${x})), '^[a-z]+://', ''), ` +
        `'^www\\.', ''), '[:/?#].*$', ''), '')`
      );
  }
}

/**
 * HTML entities decoded: the named ones lists and shops use (`&amp;`, `&quot;`, `&nbsp;`…) and
 * numeric ones (`&#39;`, `&#x27;`).
 */
export function decodeHtmlEntities(x: string): string {
  const named: Array<[string, string]> = [
    ['&quot;', '"'],
    ['&apos;', "''"],
    ['&lt;', '<'],
    ['&gt;', '>'],
    ['&nbsp;', ' '],
    ['&ndash;', '-'],
    ['&mdash;', '-'],
    ['&reg;', ' '],
    ['&trade;', ' '],
    ['&copy;', ' '],
  ];
  const numeric = (text: string) =>
    `array_to_string(list_transform(string_split(${text}, '&#'), (p, i) -> case when i = 1 then p
       when regexp_matches(p, '^[0-9]{1,7};') then chr(regexp_extract(p, '^([0-9]+);', 1)::integer) || ` +
    `regexp_replace(p, '^[0-9]+;', '')
       when regexp_matches(p, '^[xX][0-9a-fA-F]{1,6};') then chr(('0x' || regexp_extract(p, ` +
    `'^[xX]([0-9a-fA-F]+);', 1))::integer) || regexp_replace(p, '^[xX][0-9a-fA-F]+;', '')
       else '&#' || p end), '')`;
  const decoded = named.reduce((acc, [from, to]) => `replace(${acc}, '${from}', '${to}')`, numeric(x));
  return `replace(${decoded}, '&amp;', '&')`;
}

/**
 * A number read from a price or a quantity: currency signs and units dropped (`$399.00`,
 * `1.250.000 đ`, `12,5 kg`). Separators: with both `.` and `,` the last is the decimal mark; a
 * lone one followed by groups of exactly three digits separates thousands (`1.250.000`), else it
 * is the decimal mark. Text with no number is null (unknown), never a disagreement.
 */
export function parseNumberExpr(x: string): string {
  const n = `regexp_extract(replace(${x}, ' ', ''), '-?[0-9][0-9.,]*')`;
  return (
    `(select case
      when n = '' then null
      when n like '%.%' and n like '%,%' then
        case when strpos(reverse(n), '.') < strpos(reverse(n), ',') then replace(n, ',', '') else ` +
    `replace(replace(n, '.', ''), ',', '.') end
      when regexp_matches(n, '^-?[0-9]{1,3}([.,][0-9]{3})+$') then regexp_replace(n, '[.,]', '', 'g')
      else replace(n, ',', '.') end::varchar
    from (select regexp_replace(${n}, '[.,]+$', '') as n))`
  );
}

/** The word-sorted copy of a field, e.g. `van hung nguyen` → `hung nguyen van`. */
export const sortedColumn = (field: string) => `${field}__sorted`;
export const tfColumn = (field: string, sorted: boolean, tokens: boolean) =>
  `${field}${sorted ? '__sorted' : ''}__tf${tokens ? 't' : ''}`;
export const tfidfColumn = (field: string) => `${field}__tfidf`;
/** The field whose values a comparison's degree guard counts names on: `value_field`, default its own field. */
const guardValue = (c: ComparisonSpec) => c.degree_guard!.value_field ?? c.field;
/** The degree a comparison's guard reads: distinct `name_field` values per value of `guardValue`. */
const degreeColumn = (c: ComparisonSpec) => `${guardValue(c)}__deg__${c.degree_guard!.name_field}`;
export const gammaColumn = (comparison: string) => `g_${comparison}`;

/** Fields whose word-sorted copy some level reads. */
export function fieldsNeedingSorted(spec: ResolvedLinkSpec): string[] {
  const out = new Set<string>();
  for (const c of spec.comparisons) {
    for (const l of c.levels)
      if ((l.kind === 'exact' || l.kind === 'jaro_winkler') && l.word_order && l.word_order !== 'as_is')
        out.add(c.field);
  }
  return [...out];
}

/**
 * One row per input record: `_rid`, `_ds` (dataset 0/1), each field normalised, sorted copies.
 *
 * @example prepareRecordsSql(spec, { input: 'identity_records', idColumn: 'record_id', table: 'rs_base' })
 */
export function prepareRecordsSql(
  spec: ResolvedLinkSpec,
  o: { input: string; idColumn: string; datasetColumn?: string; table: string },
): SqlStep {
  const cols = [
    `${q(o.idColumn)}::bigint as _rid`,
    o.datasetColumn ? `${q(o.datasetColumn)}::tinyint as _ds` : `0::tinyint as _ds`,
  ];
  for (const [name, f] of Object.entries(spec.fields)) {
    cols.push(`${f.column.length ? normalizeExpr(f.column, f.normalize, f.combine) : 'null::varchar'} as ${q(name)}`);
  }
  const inner = `select ${cols.join(',\n       ')} from ${q(o.input)}`;
  const sorted = fieldsNeedingSorted(spec).map(
    (f) => `array_to_string(list_sort(string_split(${q(f)}, ' ')), ' ') as ${q(sortedColumn(f))}`,
  );
  const sql = `create or replace table ${q(o.table)} as
select *${sorted.length ? ', ' + sorted.join(', ') : ''} from (${inner})`;
  return { sql, table: o.table, params: {} };
}

/** Per-record statistics a spec needs: term frequencies and degree (distinct names per value). */
export interface RecordStat {
  column: string;
  kind: 'tf' | 'degree' | 'tfidf';
  /** Column of the base table whose value is counted. */
  value: string;
  tokens?: boolean;
  nameField?: string;
}

export function recordStats(spec: ResolvedLinkSpec): RecordStat[] {
  const out = new Map<string, RecordStat>();
  for (const c of spec.comparisons) {
    for (const l of c.levels) {
      if (l.kind === 'exact' && l.tf_adjust) {
        const sorted = l.word_order === 'sorted';
        const column = tfColumn(c.field, sorted, !!l.tf_tokens);
        out.set(column, { column, kind: 'tf', value: sorted ? sortedColumn(c.field) : c.field, tokens: !!l.tf_tokens });
      }
    }
    if (c.levels.some((l) => l.kind === 'tfidf_cosine')) {
      const column = tfidfColumn(c.field);
      out.set(column, { column, kind: 'tfidf', value: c.field });
    }
    if (c.degree_guard) {
      const column = degreeColumn(c);
      out.set(column, { column, kind: 'degree', value: guardValue(c), nameField: c.degree_guard.name_field });
    }
  }
  return [...out.values()];
}

/**
 * A value → statistic table. TF: share of non-null records carrying the value; with `tokens`,
 * at least the product of its words' shares (so `nguyen van hung` weighs little even when rare
 * as a whole). Degree: distinct names among records carrying the value.
 */
export function recordStatSql(stat: RecordStat, base: string, table: string): SqlStep {
  const v = q(stat.value);
  if (stat.kind === 'tfidf') {
    // A value's words weighted by idf = ln(N / records carrying the word), scaled to unit length.
    const sql = `create or replace table ${q(table)} as
with v as (select ${v} as value, count(*)::double as n from ${q(base)} where ${v} is not null group by 1),
w as (select value, n, unnest(list_distinct(list_filter(string_split(value, ' '), t -> t <> ''))) as t from v),
df as (select t, sum(n) as df from w group by 1),
tot as (select sum(n) as total from v),
x as (select w.value, w.t, ln(tot.total / df.df) + 1e-9 as idf from w join df using (t) cross join tot)
select value, list({'t': t, 'w': w} order by t) as stat
from (select value, t, idf / sqrt(sum(idf * idf) over (partition by value)) as w from x) group by value`;
    return { sql, table, params: {} };
  }
  if (stat.kind === 'degree') {
    const sql = `create or replace table ${q(table)} as
select ${v} as value, count(distinct ${q(stat.nameField!)})::double as stat
from ${q(base)} where ${v} is not null group by 1`;
    return { sql, table, params: {} };
  }
  const tokens = stat.tokens
    ? `, tok as (
  select token, sum(n) as n from (select unnest(list_distinct(string_split(value, ' '))) as token, n from v) group by 1
), est as (
  select x.value, exp(list_sum(list(ln(tok.n / tot.total) order by x.token))) as est
  from (select value, unnest(list_distinct(string_split(value, ' '))) as token from v) x
  join tok using (token) cross join tot group by x.value
)`
    : '';
  const sql = `create or replace table ${q(table)} as
with v as (select ${v} as value, count(*)::double as n from ${q(base)} where ${v} is not null group by 1),
tot as (select sum(n) as total from v)${tokens}
select v.value, ${stat.tokens ? 'greatest(v.n / tot.total, coalesce(est.est, 0))' : 'v.n / tot.total'} as stat
from v cross join tot${stat.tokens ? ' left join est using (value)' : ''}`;
  return { sql, table, params: {} };
}

/** Base table joined with its statistic tables: the record table every pair reads. */
export function recordsWithStatsSql(
  base: string,
  stats: Array<{ stat: RecordStat; table: string }>,
  table: string,
): SqlStep {
  const joins = stats.map((s, i) => `left join ${q(s.table)} s${i} on s${i}.value = b.${q(s.stat.value)}`);
  const cols = stats.map((s, i) => `s${i}.stat as ${q(s.stat.column)}`);
  const sql = `create or replace table ${q(table)} as
select b.*${cols.length ? ', ' + cols.join(', ') : ''}
from ${q(base)} b ${joins.join(' ')}`;
  return { sql, table, params: {} };
}

/**
 * A date read from text: ISO (`2024-03-01`) by default, else by strptime format(s) such as
 * `%Y%m%d` or `%d/%m/%Y`. Unparsable text is null (the comparison's unknown level).
 */
export function dateExpr(x: string, format: string | string[] | undefined, b: Binder): string {
  if (format === undefined) return `try_cast(${x} as date)`;
  const formats = Array.isArray(format) ? format : [format];
  const fmt =
    formats.length === 1 ? b.bind(formats[0]!) : `[${formats.map((f) => `${b.bind(f)}::varchar`).join(', ')}]`;
  return `try_strptime(${x}, ${fmt})::date`;
}

/** Soundex-like code of a word (English): first letter, then up to 3 consonant-class digits. */
const soundexWord = (w: string) => {
  let code = `translate(regexp_replace(${w}[2:], '[aeiouyhw]', '', 'g'), 'bfpvcgjkqsxzdtlmnr', '111122222222334556')`;
  for (const d of '123456') code = `regexp_replace(${code}, '${d}+', '${d}', 'g')`;
  return `(${w}[1] || left(${code}, 3))`;
};

/** A Vietnamese word (diacritics removed) with the spellings southern and northern speech confuse merged. */
const vietPhoneticWord = (w: string) => {
  const rules: Array<[string, string]> = [
    ['y', 'i'],
    ['^ngh', 'ng'],
    ['^gh', 'g'],
    ['^(gi|r|d)', 'z'],
    ['^tr', 'ch'],
    ['^s', 'x'],
    ['^[cq]([^h]|$)', 'k\\1'],
    ['^ph', 'f'],
    ['(nh|ng)$', 'n'],
    ['c$', 't'],
    ['uo', 'u'],
  ];
  return rules.reduce((x, [from, to]) => `regexp_replace(${x}, '${from}', '${to}', 'g')`, w);
};

/** SQL of one blocking key over a records table column: a scalar, or a list (one key per element). */
function blockingKeyExpr(k: BlockingKey & { key: string }, b: Binder): { expr: string; list: boolean } {
  const f = q(k.field);
  const words = `string_split(${f}, ' ')`;
  switch (k.key) {
    case 'prefix':
      return { expr: `left(${f}, ${b.bind(k.length!)})`, list: false };
    case 'sorted_words':
      return { expr: `array_to_string(list_sort(${words}), ' ')`, list: false };
    case 'words':
      return { expr: `list_distinct(list_filter(${words}, w -> w <> ''))`, list: true };
    case 'digits':
      return { expr: `nullif(regexp_replace(${f}, '[^0-9]', '', 'g'), '')`, list: false };
    case 'model': {
      // Words holding a digit, and two neighbouring words joined (a cleaner may have split `sm-g991b` into `sm g991b`).
      const ws =
        `list_filter(list_transform(string_split(regexp_replace(lower(${f}), '[^a-z0-9/._-]+', ' ', ` +
        `'g'), ' '), w -> regexp_replace(w, '[^a-z0-9]', '', 'g')), w -> w <> '')`;
      const both = `list_concat(ws, list_transform(range(1, len(ws)), i -> ws[i] || ws[i + 1]))`;
      return {
        expr:
          `(select list_distinct(list_filter(${both}, w -> length(w) >= 3 and regexp_matches(w, '[0-9]'))) ` +
          `from (select ${ws} as ws))`,
        list: true,
      };
    }
    case 'phonetic':
      return {
        expr:
          `list_distinct(list_transform(list_filter(${words}, w -> w <> ''), w ` +
          `-> ${k.language === 'en' ? soundexWord('w') : vietPhoneticWord('w')}))`,
        list: true,
      };
    case 'year':
      return { expr: `strftime(${dateExpr(f, k.format, b)}, '%Y')`, list: false };
    case 'year_month':
      return { expr: `strftime(${dateExpr(f, k.format, b)}, '%Y-%m')`, list: false };
    case 'month_day':
      return { expr: `strftime(${dateExpr(f, k.format, b)}, '%m-%d')`, list: false };
    default:
      return { expr: f, list: false };
  }
}

/** Whether a rule blocks on whole values only (today's plain self-join). */
export const isPlainRule = (rule: BlockingRule) => blockingKeys(rule).every((k) => k.key === 'value');

/**
 * A rule's keys per record: `(_rid, _ds, k0, k1, …)`, one row per record and combination of its
 * keys (a `words` key gives one row per word), known keys only, each row once.
 */
export function blockingKeysSql(rule: BlockingRule, o: { records: string; table: string }): SqlStep {
  const b = new Binder();
  const keys = blockingKeys(rule).map((k) => blockingKeyExpr(k, b));
  const names = keys.map((_, i) => `k${i}`);
  let from = `(select _rid, _ds, ${keys.map((k, i) => `${k.expr} as k${i}`).join(', ')} from ${q(o.records)})`;
  keys.forEach((k, i) => {
    if (!k.list) return;
    from = `(select _rid, _ds, ${names.map((n, j) => (j === i ? `unnest(${n}) as ${n}` : n)).join(', ')} from ${from})`;
  });
  const sql =
    `create or replace table ${q(o.table)} as
select distinct _rid, _ds, ${names.join(', ')} from ${from} ` +
    `where ${names.map((n) => `${n} is not null and ${n}::varchar <> ''`).join(' and ')}`;
  return { sql, table: o.table, params: b.params };
}

/** Per rule: where its keys are (the records table for plain rules, else its key table) and the key columns. */
export interface RuleKeys {
  table: string;
  columns: string[];
}

export function ruleKeys(spec: ResolvedLinkSpec, records: string, keyTable: (i: number) => string): RuleKeys[] {
  return spec.blocking.map((rule, i) =>
    isPlainRule(rule)
      ? { table: records, columns: blockingKeys(rule).map((k) => k.field) }
      : { table: keyTable(i), columns: blockingKeys(rule).map((_, j) => `k${j}`) },
  );
}

/**
 * Upper bound of the pairs each rule makes (Σ n(n−1)/2 over its blocks under the max block size),
 * and the blocks it leaves out as too large: one row per rule, `(rule, pairs, skipped_blocks, skipped_records,
 * largest)`.
 */
export function blockingEstimateQuery(
  spec: ResolvedLinkSpec,
  keys: RuleKeys[],
): { sql: string; params: Record<string, SqlValue> } {
  const b = new Binder();
  const parts = keys.map((k, i) => {
    const fs = k.columns.map(q);
    const max = b.bind(spec.blocking[i]!.max_block_size ?? spec.max_block_size);
    return (
      `select ${i} as rule,
    coalesce(sum(case when n <= ${max} then n * (n - 1) / 2 end), 0)::double as pairs,
    count(*) filter (where n > ${max})::bigint as skipped_blocks,
    coalesce(sum(n) filter (where n > ${max}), 0)::bigint as skipped_records,
    coalesce(max(n), 0)::bigint as largest
  from (select count(*)::double as n from ${q(k.table)} ` +
      `where ${fs.map((f) => `${f} is not null`).join(' and ')} group by ${fs.join(', ')})`
    );
  });
  return { sql: `${parts.join('\nunion all\n')} order by rule`, params: b.params };
}

/**
 * Candidate pairs: union of the blocking rules, deduplicated, `a < b`, with `rule_mask` (bit i set
 * when rule i produced the pair). Values shared by more than a rule's max block size make no pairs.
 * In link mode only pairs across datasets (`_ds` differs) are made. Rules with keys other than
 * whole values read their key tables (`blockingKeysSql`), given by `keys`.
 */
export function blockedPairsSql(
  spec: ResolvedLinkSpec,
  o: { records: string; table: string; linkOnly: boolean; keys?: RuleKeys[] },
): SqlStep {
  const b = new Binder();
  const parts = spec.blocking.map((rule, i) => {
    const k = o.keys?.[i] ?? { table: o.records, columns: rule.fields as string[] };
    const R = q(k.table);
    const fs = k.columns.map(q);
    const notNull = fs.map((f) => `${f} is not null`).join(' and ');
    const max = b.bind(rule.max_block_size ?? spec.max_block_size);
    const onKey = fs.map((f) => `l.${f} = k.${f}`).join(' and ');
    const onPair = fs.map((f) => `r.${f} = l.${f}`).join(' and ');
    return `select l._rid as a, r._rid as b, ${2 ** i} as m
  from (select ${fs.join(', ')} from ${R} where ${notNull} group by all having count(*) <= ${max}) k
  join ${R} l on ${onKey}
  join ${R} r on ${onPair} and l._rid < r._rid${o.linkOnly ? ' and l._ds <> r._ds' : ''}`;
  });
  const sql = `create or replace table ${q(o.table)} as
select a, b, bit_or(m)::integer as rule_mask
from (${parts.join('\n  union all\n  ')})
group by a, b`;
  return { sql, table: o.table, params: b.params };
}

/**
 * Deterministic random pairs for u: `count` pairs drawn by hashing (k, seed), or every pair when
 * there are no more than `count`. Dedupe draws two distinct records; link mode one per dataset.
 */
export function randomPairsSql(o: {
  records: string;
  table: string;
  count: number;
  seed: number;
  linkOnly: boolean;
  sizes: [number, number];
  /** Link and dedupe: draw from both datasets as one pool (sizes[0] is then the pool's size). */
  pooled?: boolean;
}): SqlStep {
  const b = new Binder();
  const R = o.pooled ? `(select _rid, 0::tinyint as _ds from ${q(o.records)})` : q(o.records);
  const [n0, n1] = o.sizes;
  const total = o.linkOnly ? n0 * n1 : (n0 * (n0 - 1)) / 2;
  let sql: string;
  if (total <= o.count) {
    const on = o.linkOnly ? 'l._ds = 0 and r._ds = 1' : 'l._rid < r._rid';
    sql = `create or replace table ${q(o.table)} as
select l._rid as a, r._rid as b from ${R} l join ${R} r on ${on}`;
  } else {
    const seed = b.bind(o.seed);
    const count = b.bind(o.count);
    const draw = o.linkOnly
      ? `hash(range, ${seed}::bigint, 'a') % ${b.bind(n0)}::ubigint as ka, hash(range, ${seed}::bigint, 'b') ` +
        `% ${b.bind(n1)}::ubigint as kb`
      : `hash(range, ${seed}::bigint, 'a') % ${b.bind(n0)}::ubigint as ka, hash(range, ${seed}::bigint, 'b') ` +
        `% ${b.bind(n0 - 1)}::ubigint as kb0`;
    const kb = o.linkOnly ? 'kb' : 'case when kb0 >= ka then kb0 + 1 else kb0 end';
    sql = `create or replace table ${q(o.table)} as
with idx as (select _rid, _ds, (row_number() over (partition by _ds order by _rid) - 1)::ubigint as k from ${R}),
draws as (select range as k, ${draw} from range(${count}::bigint))
select l._rid as a, r._rid as b from (select k, ka, ${kb} as kb from draws) d
join idx l on l._ds = 0 and l.k = d.ka
join idx r on r._ds = ${o.linkOnly ? 1 : 0} and r.k = d.kb`;
  }
  return { sql, table: o.table, params: b.params };
}

/**
 * Similarity expressions shared by several levels (Jaro–Winkler of a name, as given and sorted)
 * are computed once per pair: levels refer to them by alias. A similarity is computed only for
 * the pairs no earlier level of its comparison took (`guard`: those levels' conditions OR-ed; a
 * pair whose name agrees exactly never reaches the Jaro–Winkler levels), else it is null: most
 * candidate pairs agree on the name, most random pairs have no address.
 */
export class Similarities {
  /** expression → alias, and the guard under which it is not needed (undefined: always needed). */
  private readonly byExpr = new Map<string, { alias: string; guard: string | undefined }>();
  /**
   * Alias of an expression, registering it on first use. `guard`: a condition true only for pairs
   * that never read it (an earlier level took them). One expression read by several comparisons
   * is left out only where all their guards hold.
   */
  alias(expr: string, guard?: string): string {
    const had = this.byExpr.get(expr);
    if (had) {
      if (had.guard !== guard)
        had.guard = had.guard !== undefined && guard !== undefined ? `(${had.guard}) and (${guard})` : undefined;
      return had.alias;
    }
    const alias = `_sim${this.byExpr.size}`;
    this.byExpr.set(expr, { alias, guard });
    return alias;
  }
  /** `expr as alias` select items. */
  columns(): string[] {
    return [...this.byExpr].map(([expr, { alias, guard }]) =>
      guard === undefined ? `${expr} as ${alias}` : `(case when ${guard} then null else ${expr} end) as ${alias}`,
    );
  }
}

/**
 * The SQL condition of one level. With `sims`, similarities become aliases (see `Similarities`),
 * computed only where `guard` (earlier levels' conditions) does not hold; `onShared` is told when
 * the condition reads one.
 */
function levelCondition(
  c: ComparisonSpec,
  l: LevelSpec,
  b: Binder,
  sims?: Similarities,
  guard?: string,
  onShared?: () => void,
): string {
  const f = q(c.field);
  const s = q(sortedColumn(c.field));
  const lf = `l.${f}`;
  const rf = `r.${f}`;
  const num = (x: string) => `try_cast(${x} as double)`;
  const shared = (expr: string) => {
    if (!sims) return expr;
    onShared?.();
    return sims.alias(expr, guard);
  };
  const dateLevel = c.levels.find((x) => x.kind === 'date_diff') as
    | Extract<LevelSpec, { kind: 'date_diff' }>
    | undefined;
  const date = (x: string) => dateExpr(x, dateLevel?.format, b);
  const words = (x: string) => `list_distinct(list_filter(string_split(${x}, ' '), _w -> _w <> ''))`;
  switch (l.kind) {
    case 'null': {
      // A value a date or number level cannot read is unknown, never a disagreement.
      const unreadable = [
        ...(dateLevel ? [`${date(lf)} is null`, `${date(rf)} is null`] : []),
        ...(c.levels.some((x) => x.kind === 'abs_diff' || x.kind === 'rel_diff')
          ? [`${num(lf)} is null`, `${num(rf)} is null`]
          : []),
      ];
      return [`${lf} is null or ${rf} is null`, ...unreadable].join(' or ');
    }
    case 'jaccard': {
      const jac =
        `(len(list_intersect(${words(lf)}, ${words(rf)})) / greatest(1, ` +
        `len(list_distinct(list_concat(${words(lf)}, ${words(rf)})))))::double`;
      return `${shared(jac)} >= ${b.bind(l.min)}`;
    }
    case 'tfidf_cosine': {
      const v = q(tfidfColumn(c.field));
      const cos =
        `coalesce(list_sum(list_transform(l.${v}, _x -> _x.w * ` +
        `coalesce(list_extract(list_filter(r.${v}, _y -> _y.t = _x.t), 1).w, 0))), 0)`;
      return `${shared(cos)} >= ${b.bind(l.min)}`;
    }
    case 'else':
      return 'true';
    case 'exact':
      return l.word_order === 'sorted' ? `l.${s} = r.${s}` : `${lf} = ${rf}`;
    case 'jaro_winkler': {
      const min = b.bind(l.min);
      const raw = `jaro_winkler_similarity(${lf}, ${rf})`;
      const sorted = `jaro_winkler_similarity(l.${s}, r.${s})`;
      const sim = l.word_order === 'sorted' ? sorted : l.word_order === 'either' ? `greatest(${raw}, ${sorted})` : raw;
      return `${shared(sim)} >= ${min}`;
    }
    case 'levenshtein':
      return `${shared(`levenshtein(${lf}, ${rf})`)} <= ${b.bind(l.max)}`;
    case 'abs_diff':
      return `abs(${num(lf)} - ${num(rf)}) <= ${b.bind(l.max)}`;
    case 'rel_diff':
      return `abs(${num(lf)} - ${num(rf)}) <= ${b.bind(l.max)} * greatest(abs(${num(lf)}), abs(${num(rf)}))`;
    case 'date_diff':
      return (
        `abs(datediff('day', ${dateExpr(lf, l.format, b)}, ${dateExpr(rf, l.format, b)})) ` + `<= ${b.bind(l.max_days)}`
      );
  }
}

/**
 * `case when … then 0 when … then 1 … end` — the comparison level index of a pair. With `sims`,
 * similarity expressions become aliases the caller must compute (see `Similarities`).
 */
export function gammaExpr(c: ComparisonSpec, b: Binder, sims?: Similarities): string {
  // Earlier levels' conditions that read no similarity (an alias cannot guard its neighbours in one select).
  const earlier: string[] = [];
  const whens = c.levels.slice(0, -1).map((l, i) => {
    let readsShared = false;
    const guard = earlier.length ? earlier.map((x) => `(${x})`).join(' or ') : undefined;
    const cond = levelCondition(c, l, b, sims, guard, () => (readsShared = true));
    if (!readsShared) earlier.push(cond);
    return `when ${cond} then ${i}`;
  });
  return `(case ${whens.join(' ')} else ${c.levels.length - 1} end)::tinyint`;
}

/** Indices of a comparison's exact levels that carry a TF adjustment, with their stat column. */
export function tfLevels(c: ComparisonSpec): Array<{ index: number; column: string }> {
  const out: Array<{ index: number; column: string }> = [];
  c.levels.forEach((l, i) => {
    if (l.kind === 'exact' && l.tf_adjust)
      out.push({ index: i, column: tfColumn(c.field, l.word_order === 'sorted', !!l.tf_tokens) });
  });
  return out;
}

/** Indices of a comparison's exact levels on the value as given (where the degree guard applies). */
export function exactLevels(c: ComparisonSpec): number[] {
  return c.levels.flatMap((l, i) => (l.kind === 'exact' && l.word_order !== 'sorted' ? [i] : []));
}

/**
 * Comparison vectors: one `g_<comparison>` per comparison, plus for TF levels the value's term
 * frequency (`tfv_<comparison>`) and for degree guards its degree (`deg_<comparison>`).
 */
export function comparisonVectorsSql(
  spec: ResolvedLinkSpec,
  o: { pairs: string; records: string; table: string; withStats: boolean },
): SqlStep {
  const b = new Binder();
  const sims = new Similarities();
  const gammas: string[] = [];
  const outer: string[] = [];
  const carry: string[] = [];
  const fields = new Set<string>();
  for (const c of spec.comparisons) {
    fields.add(c.field);
    if (
      c.levels.some(
        (l) => (l.kind === 'exact' || l.kind === 'jaro_winkler') && l.word_order && l.word_order !== 'as_is',
      )
    )
      fields.add(sortedColumn(c.field));
    if (c.levels.some((l) => l.kind === 'tfidf_cosine')) fields.add(tfidfColumn(c.field));
    const g = q(gammaColumn(c.name));
    const dg = c.degree_guard;
    if (dg?.hubs_unknown) {
      const deg = degreeColumn(c);
      fields.add(deg);
      const max = b.bind(dg.max_names);
      gammas.push(
        `(case when coalesce(l.${q(deg)}, 0) > ${max} or coalesce(r.${q(deg)}, 0) > ${max} then 0 ` +
          `else ${gammaExpr(c, b, sims)} end)::tinyint as ${g}`,
      );
    } else gammas.push(`${gammaExpr(c, b, sims)} as ${g}`);
    outer.push(g);
    if (!o.withStats) continue;
    const tfs = tfLevels(c);
    tfs.forEach((t, j) => carry.push(`l.${q(t.column)} as ${q(`_tf${j}_${c.name}`)}`));
    if (tfs.length)
      outer.push(
        `(case ${g} ${tfs.map((t, j) => `when ${t.index} then ${q(`_tf${j}_${c.name}`)}`).join(' ')} end) ` +
          `as ${q(`tfv_${c.name}`)}`,
      );
    if (c.degree_guard) {
      const exact = exactLevels(c);
      carry.push(`l.${q(degreeColumn(c))} as ${q(`_deg_${c.name}`)}`);
      outer.push(
        `(case when ${g} in (${exact.join(', ') || '-1'}) then ${q(`_deg_${c.name}`)} end) as ${q(`deg_${c.name}`)}`,
      );
    }
  }
  // The join names each side's field l_<field> / r_<field>; level SQL says l."field", so rewrite it.
  const sideCols = [...fields].flatMap((f) => [`l.${q(f)} as ${q(`l_${f}`)}`, `r.${q(f)} as ${q(`r_${f}`)}`]);
  const rewrite = (expr: string) =>
    expr.replace(/\b([lr])\.("(?:[^"]|"")*")/g, (_m, side: string, name: string) =>
      q(`${side}_${name.slice(1, -1).replaceAll('""', '"')}`),
    );
  const simCols = sims.columns().map(rewrite);
  const sql = `create or replace table ${q(o.table)} as
with j as (
  select p.a, p.b${o.withStats ? ', p.rule_mask' : ''}, ${[...sideCols, ...carry].join(', ')}
  from ${q(o.pairs)} p join ${q(o.records)} l on l._rid = p.a join ${q(o.records)} r on r._rid = p.b
), s as (
  select *${simCols.length ? ', ' + simCols.join(', ') : ''} from j
), g as (
  select *, ${gammas.map(rewrite).join(',\n    ')} from s
)
select a, b, ${o.withStats ? 'rule_mask, ' : ''}${outer.join(', ')} from g`;
  return { sql, table: o.table, params: b.params };
}

/** The weights the score statement needs, per comparison. */
export interface ScoreWeights {
  /** log2 prior odds. */
  prior: number;
  comparisons: Array<{
    /** Bayes factor bits per level (0 for the null level). */
    weights: number[];
    /** u of each level, for TF adjustments. */
    u: number[];
  }>;
}

/**
 * Scores every candidate pair and keeps the links: pairs at or above `threshold` (a match
 * weight). A pair's weight is the sum of its parts — `prior`, per comparison `<c>` (level weight),
 * `<c>_tf` (TF adjustment), `<c>_guard` (degree cap) — stored as JSON in `parts`. Also the match
 * probability, confidence code (A/B/C/D by probability band), `shared_identifiers` (identifier
 * comparisons agreeing exactly and not capped), and `kept` (true; clustering clears it, with
 * `cut_reason` 'weak' or 'bridge', for links its guards refuse). Rows carry no order: sort by
 * `match_weight desc, record_a, record_b`.
 */
export function linksSql(
  spec: ResolvedLinkSpec,
  weights: ScoreWeights,
  o: { vectors: string; table: string; threshold: number },
): SqlStep {
  const b = new Binder();
  const wCols: string[] = [];
  const gCols: string[] = [];
  const parts: string[] = [];
  const ids: string[] = [];
  const kv: string[] = [`${b.bind('prior')}, prior`];
  spec.comparisons.forEach((c, ci) => {
    const g = q(gammaColumn(c.name));
    const w = weights.comparisons[ci]!;
    const [wc, tfc, gc] = [q(`w_${c.name}`), q(`tf_${c.name}`), q(`guard_${c.name}`)];
    wCols.push(
      `(case ${g} ${w.weights.map((x, i) => `when ${i} then ${b.bind(x)}`).join(' ')} else 0 end)::double as ${wc}`,
    );
    parts.push(wc);
    kv.push(`${b.bind(c.name)}, ${wc}`);
    const tfs = tfLevels(c);
    if (tfs.length) {
      const whens = tfs.map((t) => {
        const l = c.levels[t.index] as Extract<LevelSpec, { kind: 'exact' }>;
        return (
          `when ${t.index} then ${b.bind(l.tf_weight ?? 1)} * log2(${b.bind(w.u[t.index]!)} / ` +
          `greatest(${q(`tfv_${c.name}`)}, ${b.bind(l.tf_min ?? 0)}))`
        );
      });
      wCols.push(`coalesce(case ${g} ${whens.join(' ')} end, 0)::double as ${tfc}`);
      parts.push(tfc);
      kv.push(`${b.bind(`${c.name}_tf`)}, ${tfc}`);
    }
    const dg = c.degree_guard;
    if (dg) {
      const own = tfs.length ? `${wc} + ${tfc}` : wc;
      gCols.push(
        `(case when ${q(`deg_${c.name}`)} > ${b.bind(dg.max_names)} then least(0, ${b.bind(dg.cap_weight ?? 0)} ` +
          `- (${own})) else 0 end)::double as ${gc}`,
      );
      parts.push(gc);
      kv.push(`${b.bind(`${c.name}_guard`)}, ${gc}`);
    }
    if (c.identifier) {
      const exact = exactLevels(c);
      ids.push(`(${g} in (${exact.join(', ') || '-1'})${dg ? ` and ${gc} = 0` : ''})::int`);
    }
  });
  const prior = b.bind(weights.prior);
  const [A, B, C] = [b.bind(spec.confidence.A), b.bind(spec.confidence.B), b.bind(spec.confidence.C)];
  const sql =
    `create or replace table ${q(o.table)} as
with w as (select *, ${prior}::double as prior, ${wCols.join(',\n  ')} from ${q(o.vectors)}),
g as (select *${gCols.length ? ', ' + gCols.join(',\n  ') : ''} from w),
s as (select *, prior + ${parts.join(' + ')} as match_weight from g),
k as (select *, 1 / (1 + pow(2, -match_weight)) as match_probability from s where match_weight ` +
    `>= ${b.bind(o.threshold)})
select a as record_a, b as record_b, match_weight, match_probability,
       case when match_probability >= ${A} then 'A' when match_probability >= ${B} then 'B'
            when match_probability >= ${C} then 'C' else 'D' end as confidence,
       json_object(${kv.join(', ')}) as parts,
       true as kept, null::varchar as cut_reason,
       (${ids.length ? ids.join(' + ') : '0'})::integer as shared_identifiers
from k`;
  return { sql, table: o.table, params: b.params };
}

/** Marks the links clustering refused (`cut` holds a, b, reason). */
export function markCutLinksSql(o: { links: string; cut: string }): SqlStep {
  const sql = `update ${q(o.links)} l set kept = false, cut_reason = c.reason
from ${q(o.cut)} c where c.a = l.record_a and c.b = l.record_b`;
  return { sql, table: o.links, params: {} };
}

/** `resolve_clusters`: every record with its cluster id (singletons point at themselves). */
export function clustersSql(o: { records: string; members: string; table: string }): SqlStep {
  const sql = `create or replace table ${q(o.table)} as
select r._rid as record_id, coalesce(m.cluster_id, r._rid)::bigint as cluster_id
from ${q(o.records)} r left join ${q(o.members)} m on m.record_id = r._rid`;
  return { sql, table: o.table, params: {} };
}

/**
 * The identifier values records carry, for cluster-level corroboration: one row per record and
 * identifier comparison with a known value under its degree guard (hubs left out), as
 * `(r, k, v)` with k the comparison's index among identifiers and v a dense value id, ordered by v.
 *
 * @example identifierKeysQuery(spec, 'rs_records') // select … as r, … as k, … as v …
 */
export function identifierKeysQuery(spec: ResolvedLinkSpec, records: string): string | undefined {
  const parts = spec.comparisons
    .filter((c) => c.identifier)
    .slice(0, 16)
    .map((c, k) => {
      const f = q(c.field);
      const hub = c.degree_guard
        ? ` and coalesce(${q(degreeColumn(c))}, 0) <= ${Number(c.degree_guard.max_names)}`
        : '';
      return `select _rid as r, ${k} as k, ${f}::varchar as v from ${q(records)} where ${f} is not null${hub}`;
    });
  if (parts.length === 0) return undefined;
  return (
    `select r, k, (dense_rank() over (order by k, v) - 1)::integer as v from ` +
    `(${parts.join(' union all ')}) order by v, r`
  );
}

/** `(r, v)`: each record's value of the exclusive field as a dense id, or undefined without one. */
export function exclusiveValuesQuery(spec: ResolvedLinkSpec, records: string): string | undefined {
  const field = spec.clustering.exclusive_field;
  if (!field) return undefined;
  const f = q(field);
  return (
    `select _rid as r, (dense_rank() over (order by ${f}::varchar) - 1)::integer as v from ${q(records)} ` +
    `where ${f} is not null order by r`
  );
}
