/**
 * Period statistics for the office's reporting: per province, the sellers the engine identified on
 * each channel, their observed and declared revenue, the estimated tax gap, and the audits closed in
 * the period (hit rate, tax assessed per case). Read from the warehouse's latest state.
 *
 * Amounts delivered per period (marketplace GMV, declarations) count in proportion to the months
 * they share with the asked period; parcels and bank credits count by their date. The tax gap of a
 * seller is computed on its revenue in the period scaled to a year (the threshold is annual) and
 * scaled back: gap = max(0, taxDue(12/m × revenue) × m/12 − tax paid − tax withheld), at the rates of
 * the activity group or mix the scorer uses (engine/score/activity.ts: the withholding, the registry, the
 * words, else the mix of registered sellers with the same channels), the tax due × the chance the revenue
 * passes the threshold when only transfers that name nothing take it there (engine/score/gap.ts).
 */
import { typedValueForMessage } from '../normalize/identifier-kind.js';
import { activityGroups, isActivityGroup, rulesForYear, taxDue, type TaxYearRules } from '../config/tax-rules.js';
import { UsageError } from '../errors.js';
import { bankPatterns } from '../features/bank-patterns.js';
import { readEntityBatch } from '../features/read.js';
import { estimateActivity, expectedTax, type ActivityBasis, type ActivityOptions } from '../score/activity.js';
import { groupFromWithholding, thresholdChance } from '../score/gap.js';
import type { Db } from '../warehouse/db.js';
import { fmt } from '../format.js';

export interface Period {
  /** As asked: 2026, 2026-H1, 2026-Q3 or 2026-07. */
  label: string;
  year: number;
  /** First day (inclusive) and the day after the last (exclusive), YYYY-MM-DD. */
  start: string;
  end: string;
  months: number;
}

/**
 * Parses a period.
 *
 * @example parsePeriod('2026-H1') // { label: '2026-H1', year: 2026, start: '2026-01-01', end: '2026-07-01',
 * months: 6 }
 * @example parsePeriod('2026-Q3') // { …, start: '2026-07-01', end: '2026-10-01', months: 3 }
 * @example parsePeriod('2025')    // { …, start: '2025-01-01', end: '2026-01-01', months: 12 }
 */
export function parsePeriod(text: string): Period {
  const t = text.trim().toUpperCase();
  const m = /^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$/.exec(t);
  const bad = () =>
    new UsageError(
      `period ${typedValueForMessage(text)}: expected YYYY, YYYY-H1/H2, YYYY-Q1…Q4 or YYYY-MM (e.g. 2026-H1)`,
    );
  if (!m) throw bad();
  const year = Number(m[1]);
  let first = 1;
  let months = 12;
  const part = m[2];
  if (part?.startsWith('H')) [first, months] = [part === 'H1' ? 1 : 7, 6];
  else if (part?.startsWith('Q')) [first, months] = [(Number(part[1]) - 1) * 3 + 1, 3];
  else if (part) {
    first = Number(part);
    months = 1;
    if (first < 1 || first > 12) throw bad();
  }
  const ymd = (y: number, mo: number) =>
    `${y + Math.floor((mo - 1) / 12)}-${String(((mo - 1) % 12) + 1).padStart(2, '0')}-01`;
  return { label: t, year, start: ymd(year, first), end: ymd(year, first + months), months };
}

/**
 * The years the data of a snapshot falls in (marketplace and declaration periods, COD parcels, bank credits,
 * audits closed or their periods), ascending: what `sangloc stats` names when asked for a period holding none.
 *
 * @example await dataYears(db) // [2024, 2025, 2026]
 */
export async function dataYears(db: Db): Promise<number[]> {
  const parts: string[] = [];
  const add = async (table: string, sql: string) => {
    if (await db.tableExists(table)) parts.push(sql);
  };
  await add('stg_platform_sellers', `select distinct left(period, 4)::int as y from stg_platform_sellers`);
  await add('stg_declarations', `select distinct left(period, 4)::int as y from stg_declarations`);
  await add('int_parcels_classified', `select distinct year(picked_up_on) as y from int_parcels_classified`);
  await add('int_bank_credits_classified', `select distinct year(booked_at) as y from int_bank_credits_classified`);
  await add(
    'int_outcome_entities',
    `select distinct coalesce(year(closed_on), left(period, 4)::int) as y from int_outcome_entities`,
  );
  if (parts.length === 0) return [];
  const rows = await db.all<{ y: number }>(
    `select distinct y::int as y from (${parts.join(' union all ')}) where y is not null order by y`,
  );
  return rows.map((r) => Number(r.y));
}

/** One row of the statistics: a province, or the total (province `null`). */
export interface ProvinceStats {
  /** '' = sellers whose province is unknown; null on the total row. */
  province: string | null;
  sellers: number;
  sellers_platform: number;
  sellers_cod: number;
  sellers_bank: number;
  platform_revenue_vnd: number;
  cod_revenue_vnd: number;
  bank_revenue_vnd: number;
  observed_revenue_vnd: number;
  declared_revenue_vnd: number;
  /** Sellers with observed revenue above what they declared in the period. */
  sellers_with_gap: number;
  tax_gap_vnd: number;
  audits: number;
  audits_undeclared: number;
  /** Share of closed audits that found undeclared revenue; null without audits. */
  hit_rate: number | null;
  assessed_tax_vnd: number;
  /** Tax assessed per closed audit; null without audits. */
  yield_per_case_vnd: number | null;
}

export interface PeriodStats {
  period: Period;
  rows: ProvinceStats[];
  total: ProvinceStats;
}

const emptyRow = (province: string | null): ProvinceStats => ({
  province,
  sellers: 0,
  sellers_platform: 0,
  sellers_cod: 0,
  sellers_bank: 0,
  platform_revenue_vnd: 0,
  cod_revenue_vnd: 0,
  bank_revenue_vnd: 0,
  observed_revenue_vnd: 0,
  declared_revenue_vnd: 0,
  sellers_with_gap: 0,
  tax_gap_vnd: 0,
  audits: 0,
  audits_undeclared: 0,
  hit_rate: null,
  assessed_tax_vnd: 0,
  yield_per_case_vnd: null,
});

// First month and length (months) of a contract period (YYYY, YYYY-Qn, YYYY-MM) as SQL over column `p`.
const periodStart = (p: string) => `case
    when length(${p}) = 4 then make_date(left(${p}, 4)::int, 1, 1)
    when upper(${p}) like '%-Q%' then make_date(left(${p}, 4)::int, (right(${p}, 1)::int - 1) * 3 + 1, 1)
    else make_date(left(${p}, 4)::int, substr(${p}, 6, 2)::int, 1) end`;
const periodMonths = (p: string) => `case when length(${p}) = 4 then 12 when upper(${p}) like '%-Q%' then 3 else 1 end`;
/** Share of a delivered period inside [$start, $end): months in common / months of the period. */
const overlap = (p: string) =>
  `greatest(0, datediff('month', greatest(${periodStart(p)}, $start::date), least(${periodStart(p)} + ` +
  `to_months(${periodMonths(p)}), $end::date)))::double / ${periodMonths(p)}`;

/**
 * Statistics of one period from the warehouse (needs a run's entities; outcomes optional).
 *
 * @example const s = await periodStats(db, parsePeriod('2026-H1')); s.total.tax_gap_vnd
 */
export async function periodStats(
  db: Db,
  period: Period,
  opts: { taxRules?: Record<string, TaxYearRules>; activity?: ActivityOptions } = {},
): Promise<PeriodStats> {
  const rules = rulesForYear(period.year, opts.taxRules);
  const range = { start: period.start, end: period.end };
  const { rows, provIndex } = await db.withWorkTables(async (work) => {
    work.push('stats_entity');
    return provinceRows(db, period, rules, opts.activity);
  });

  // Audits closed in the period (or, without a closing date, about a period overlapping it), with the
  // entity each reaches as int_outcome_entities.sql finds it.
  if (await db.tableExists('int_outcome_entities')) {
    const audits = await db.all<{ province: string; audits: number; undeclared: number; assessed: number }>(
      `with closed as (
          select * from int_outcome_entities o
          where (o.closed_on >= $start::date and o.closed_on < $end::date) or (o.closed_on is null ` +
        `and ${overlap('o.period')} > 0)),
        linked as (
          select o.subject_type, o.subject_id, o.period, any_value(o.result) as result, ` +
        `any_value(o.assessed_tax) as assessed_tax, min(o.entity_id) as entity_id
          from closed o group by o.subject_type, o.subject_id, o.period)
       select coalesce(p.province, '') as province, count(*)::bigint as audits,
              count(*) filter (where l.result = 'undeclared')::bigint as undeclared, ` +
        `coalesce(sum(l.assessed_tax), 0)::bigint as assessed
       from linked l left join mart_entity_profile p using (entity_id)
       group by 1 order by 1`,
      range,
    );
    for (const a of audits) {
      let i = provIndex.get(a.province);
      if (i === undefined) {
        i = rows.length;
        rows.push(emptyRow(a.province));
        provIndex.set(a.province, i);
      }
      const r = rows[i]!;
      r.audits = a.audits;
      r.audits_undeclared = a.undeclared;
      r.assessed_tax_vnd = a.assessed;
    }
  }
  const total = emptyRow(null);
  for (const r of rows) {
    for (const k of Object.keys(total) as (keyof ProvinceStats)[]) {
      if (k !== 'province' && k !== 'hit_rate' && k !== 'yield_per_case_vnd') (total[k] as number) += r[k] as number;
    }
  }
  const finish = (r: ProvinceStats) => {
    for (const k of [
      'platform_revenue_vnd',
      'cod_revenue_vnd',
      'bank_revenue_vnd',
      'observed_revenue_vnd',
      'declared_revenue_vnd',
      'tax_gap_vnd',
    ] as const)
      r[k] = Math.round(r[k]);
    r.hit_rate = r.audits ? r.audits_undeclared / r.audits : null;
    r.yield_per_case_vnd = r.audits ? Math.round(r.assessed_tax_vnd / r.audits) : null;
  };
  rows.forEach(finish);
  finish(total);
  rows.sort(
    (a, b) => b.tax_gap_vnd - a.tax_gap_vnd || b.sellers - a.sellers || a.province!.localeCompare(b.province!, 'vi'),
  );
  return { period, rows, total };
}

/** Per province, the sellers' revenue and tax gap in the period, through the work table `stats_entity`. */
async function provinceRows(
  db: Db,
  period: Period,
  rules: TaxYearRules,
  activity?: ActivityOptions,
): Promise<{ rows: ProvinceStats[]; provIndex: Map<string, number> }> {
  const range = { start: period.start, end: period.end };
  const hasFeatures = await db.tableExists('mart_entity_features');
  // As the scorer does (engine/score/activity.ts): the activity basis of each entity, the mix learned over all
  const bases = new Map<string, ActivityBasis>();
  if (hasFeatures && (await db.tableExists('mart_entity_activity'))) {
    const all = await readEntityBatch(db);
    const est = estimateActivity(all.batch, rules, all.provinces, activity);
    all.ids.forEach((id, i) => bases.set(id, est.basis[i]!));
  }
  // As the scorer does (engine/score/gap.ts): a possible registered twin's tax paid counts × its weight
  const hasCandidates = await db.tableExists('mart_registry_candidates');
  // As the scorer does (mart_entity_features.sql): tax withheld on other entities' shops under this one's codes
  const hasCredited = await db.tableExists('int_withholding_credited');
  await db.exec(
    `create or replace temp table stats_entity as
    with platform as (
        select e.entity_id, sum(p.gmv * ${overlap('p.period')}) as gmv, sum(p.tax_withheld ` +
      `* ${overlap('p.period')}) as withheld
        from stg_platform_sellers p join int_entities e on e.source = 'platform_sellers' and e.source_key = p.shop_key
        group by 1),
    cod as (
        select entity_id, sum(cod_amount) as cod from int_parcels_classified
        where parcel_class = 'sale' and picked_up_on >= $start::date and picked_up_on < $end::date group by 1),
    bank as (
        select entity_id, sum(amount) as bank,
            sum(amount) filter (where regexp_full_match(coalesce(lower(strip_accents(description)), ''), $unnamed))
                as bank_unnamed
        from int_bank_credits_classified
        where credit_class = 'trade' and booked_at >= $start::date and booked_at < $end::date group by 1),
    declared as (
        select c.entity_id, sum(d.declared_revenue * ${overlap('d.period')}) as declared, sum(d.tax_paid ` +
      `* ${overlap('d.period')}) as paid
        from stg_declarations d join int_entity_tax_codes c on c.code = d.tax_id group by 1),
    credited as (
        ${
          hasCredited
            ? `select entity_id, sum(tax_withheld * ${overlap('period')}) as withheld
               from int_withholding_credited group by 1`
            : 'select null::varchar as entity_id, 0::double as withheld where false'
        }),
    twin as (
        ${
          hasCandidates
            ? `select rc.entity_id, rc.weight * coalesce(d.paid, 0) as paid
               from mart_registry_candidates rc left join declared d on d.entity_id = rc.candidate_id
               where rc.weight > 0`
            : 'select null::varchar as entity_id, 0::double as paid where false'
        }),
    final as (
        select pr.entity_id, coalesce(pr.province, '') as province,
            ${hasFeatures ? `coalesce(f.activity_group, 'goods')` : `'goods'`} as activity_group,
            ${hasFeatures ? 'f.withheld_rate' : 'null::double'} as withheld_rate,
            coalesce(pl.gmv, 0) as gmv, coalesce(pl.withheld, 0) + coalesce(cw.withheld, 0) as withheld,
            coalesce(c.cod, 0) as cod, coalesce(b.bank, 0) as bank, coalesce(b.bank_unnamed, 0) as bank_unnamed,
            coalesce(d.declared, 0) as declared, coalesce(d.paid, 0) + coalesce(t.paid, 0) as paid
        from mart_entity_profile pr
        ${hasFeatures ? 'left join mart_entity_features f using (entity_id)' : ''}
        left join platform pl using (entity_id) left join credited cw using (entity_id)
        left join cod c using (entity_id) left join bank b using (entity_id)
        left join declared d using (entity_id) left join twin t using (entity_id))
    select * from final where gmv > 0 or cod > 0 or bank > 0 or declared > 0`,
    { ...range, unnamed: bankPatterns.unnamedTransfer },
  );
  const provinces = (
    await db.all<{ province: string }>(`select distinct province from stats_entity order by province`)
  ).map((r) => r.province);
  const provIndex = new Map(provinces.map((p, i) => [p, i]));
  const cols = await db.numericColumns(
    `select list_position(${listLiteral(provinces)}, province) - 1 as prov,
            list_position(${listLiteral([...activityGroups])}, activity_group) - 1 as grp,
            gmv, withheld, cod, bank, declared, paid, withheld_rate, bank_unnamed
     from stats_entity order by entity_id`,
  );
  const [prov, grp, gmv, withheld, cod, bank, declared, paid, rate, unnamed] = cols.columns as Float64Array[] as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const ids = (await db.all<{ entity_id: string }>(`select entity_id from stats_entity order by entity_id`)).map(
    (r) => r.entity_id,
  );
  const rows = provinces.map((p) => emptyRow(p));
  const scale = 12 / period.months;
  for (let i = 0; i < cols.rowCount; i++) {
    const r = rows[prov[i]!]!;
    const observed = gmv[i]! + cod[i]! + bank[i]!;
    if (observed > 0) r.sellers++;
    if (gmv[i]! > 0) r.sellers_platform++;
    if (cod[i]! > 0) r.sellers_cod++;
    if (bank[i]! > 0) r.sellers_bank++;
    r.platform_revenue_vnd += gmv[i]!;
    r.cod_revenue_vnd += cod[i]!;
    r.bank_revenue_vnd += bank[i]!;
    r.observed_revenue_vnd += observed;
    r.declared_revenue_vnd += declared[i]!;
    if (observed > declared[i]!) r.sellers_with_gap++;
    const g = activityGroups[grp[i]!];
    // As the scorer does: the group a marketplace's withholding reveals, else the registry's.
    const group = groupFromWithholding(rate[i]!, rules) ?? (g && isActivityGroup(g) ? g : 'goods');
    const estimated = Math.max(observed, declared[i]!);
    const basis = bases.get(ids[i]!);
    const due =
      ((basis ? expectedTax(estimated * scale, basis, rules) : taxDue(estimated * scale, group, rules)).total / scale) *
      thresholdChance(estimated * scale, declared[i]! * scale, unnamed[i]! * scale, rules.threshold);
    r.tax_gap_vnd += Math.max(0, due - paid[i]! - withheld[i]!);
  }
  return { rows, provIndex };
}

const listLiteral = (values: readonly string[]) =>
  `[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]::varchar[]`;

/**
 * The statistics for a terminal (amounts in millions of VND).
 *
 * @example process.stdout.write(formatStatsText(s));
 */
export function formatStatsText(s: PeriodStats): string {
  const f = fmt();
  const m = (v: number) => f.int(v / 1e6);
  const header = [
    'province',
    'sellers',
    'platform',
    'COD',
    'bank',
    'observed M',
    'declared M',
    'tax gap M',
    'audits',
    'hit rate',
    'yield/case M',
  ];
  const row = (r: ProvinceStats) => [
    r.province === null ? 'TOTAL' : r.province || '(unknown)',
    f.int(r.sellers),
    f.int(r.sellers_platform),
    f.int(r.sellers_cod),
    f.int(r.sellers_bank),
    m(r.observed_revenue_vnd),
    m(r.declared_revenue_vnd),
    m(r.tax_gap_vnd),
    f.int(r.audits),
    r.hit_rate === null ? '–' : f.pct(r.hit_rate, 0),
    r.yield_per_case_vnd === null ? '–' : m(r.yield_per_case_vnd),
  ];
  const rows = [...s.rows.map(row), row(s.total)];
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (r: string[]) => r.map((v, k) => (k === 0 ? v.padEnd(widths[k]!) : v.padStart(widths[k]!))).join('  ');
  return [
    `period ${s.period.label} (${f.date(s.period.start)} … ${f.date(s.period.end)}, exclusive)`,
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}
