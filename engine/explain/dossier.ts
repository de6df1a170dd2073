/**
 * The dossier of one seller entity: who it is (every identity record), its source records grouped
 * by source with amounts, the links that joined its records (with their weight parts), the revenue
 * computation step by step under the tax year's rules, and the reasons of its case row.
 * The warehouse holds the latest state; the case row comes from the chosen run's cases.json.
 */
import { rulesForYear, taxDue, type ActivityGroup, type TaxYearRules } from '../config/tax-rules.js';
import { InputError } from '../errors.js';
import { readEntityBatch } from '../features/read.js';
import type { CaseRow } from '../publish/case-row.js';
import {
  expectedTax,
  groupRange,
  type ActivityBasis,
  type ActivityOptions,
  type RateSource,
} from '../score/activity.js';
import { deriveAmounts, thresholdChance } from '../score/gap.js';
import { rateBasisOf } from '../score/score.js';
import type { Db, Row } from '../warehouse/db.js';
import { fmt } from '../format.js';

/** One identity record of the entity (a registry entry, a shop, a site, a bank account, a COD sender profile). */
export interface IdentityRecord {
  record_id: number;
  source: string;
  /** How the analyst recognises it: tax code, platform:shop, domain, bank:account, or sender phone / name. */
  label: string;
  name: string | null;
  tax_id: string | null;
  national_id: string | null;
  phone: string | null;
  email: string | null;
  account: string | null;
  domain: string | null;
  province: string | null;
}

/** The records of one source, in the tax year for dated sources: a summary plus the first rows. */
export interface SourceRecords {
  source: string;
  /** Rows in the group (all of them, not only the ones shown). */
  count: number;
  /** Sum of the source's money column (GMV, declared revenue, COD amount, credit amount); null for sources without
   * one. */
  amount_vnd: number | null;
  /** Count and amount per class (parcels: sale / marketplace / returned / cancelled; credits: trade /
   * carrier_remittance …). */
  classes: { class: string; count: number; amount_vnd: number }[];
  /** Column order of `rows`. */
  columns: string[];
  rows: Row[];
}

/** One pairwise link between two of the entity's records. */
export interface LinkEvidence {
  record_a: string;
  record_b: string;
  /** 'scored': Fellegi–Sunter weight with its parts; 'exact': the records share an identifier value. */
  method: 'scored' | 'exact';
  match_weight: number | null;
  match_probability: number | null;
  confidence: string | null;
  /** Non-zero weight parts, largest contribution first (log2 Bayes factors; `prior` is the base rate). */
  parts: { part: string; weight: number }[];
  /** For exact links: the identifier kinds shared (tax_id, national_id, phone, account, email, domain). */
  shared: string[];
  /** Record ids of the two ends (`IdentityRecord.record_id`): labels may repeat, ids do not. */
  id_a?: number;
  id_b?: number;
}

/** One step of the revenue computation: a label, an amount, and how it was obtained. */
export interface RevenueStep {
  key: string;
  label_vi: string;
  label_en: string;
  amount_vnd: number;
  /** Included in the total, excluded (shown for transparency), or a result of earlier steps. */
  role: 'counted' | 'excluded' | 'result' | 'info';
  note: string;
}

export interface RevenueComputation {
  tax_year: number;
  activity_group: string;
  /**
   * Where the group came from, strongest first: the rate a marketplace withheld, the registry, the
   * words of its names and transfers, the mix of registered sellers with its channels, or the
   * goods rate for want of anything (engine/score/activity.ts).
   */
  group_source: RateSource;
  /** The VAT + PIT rate used, the range the seller could owe, and its basis in both languages. */
  rate: {
    used: number;
    min: number;
    max: number;
    basis_vi: string;
    basis_en: string;
    tax_due_min_vnd: number;
    tax_due_max_vnd: number;
  };
  rules: {
    threshold: number;
    vat_rate: number;
    pit_rate: number;
    pit_on_excess_only: boolean;
    vat_on_whole_revenue: boolean;
  };
  steps: RevenueStep[];
  observed_revenue_vnd: number;
  declared_revenue_vnd: number;
  estimated_revenue_vnd: number;
  undeclared_revenue_vnd: number;
  tax_due_vnd: number;
  vat_vnd: number;
  pit_vnd: number;
  tax_gap_vnd: number;
}

/**
 * A party related to the seller but not the seller: the fulfilment warehouse that booked its
 * parcels, a contact it shares with other people (a family phone, a bookkeeper's e-mail), or an
 * entity reached only by a link too weak to merge. Shown apart from the seller's own records.
 */
export interface RelatedParty {
  kind:
    | 'warehouse_phone'
    | 'warehouse_name'
    | 'warehouse_account'
    | 'shared_phone'
    | 'shared_email'
    | 'shared_account'
    | 'weak_link';
  /** The shared value; for a weak link, the other entity's record and the link's weight. */
  value: string;
  /** Other entities carrying the value (first 20). */
  entities: string[];
  /** How many other entities carry it. */
  entity_count: number;
  /** Record ids of this entity's records that carry the value (or, for a weak link, that the link touches). */
  records?: number[];
}

/** A registered taxpayer an entity without a registry record may be (mart_registry_candidates.sql). */
export interface RegistryCandidate {
  entity_id: string;
  tax_id: string | null;
  name: string | null;
  province: string | null;
  /** 0..1: how strongly the evidence points to the candidate; its declarations count in this proportion. */
  weight: number;
  /** Kinds of evidence: phone, email, account, national_id_typo, name_province. */
  evidence: string[];
  declared_revenue_vnd: number;
  tax_paid_vnd: number;
}

export interface Dossier {
  entity_id: string;
  /**
   * Shown first: the registered taxpayer this seller may be; null when it has its own registry
   * record or none matches.
   */
  registry_candidate: RegistryCandidate | null;
  tax_year: number;
  run_id: string | null;
  /** The entity's row in the run's case list; null when it is not on the list (audited already, or no gap). */
  case: CaseRow | null;
  identities: IdentityRecord[];
  identifiers: Record<
    'names' | 'tax_ids' | 'national_ids' | 'phones' | 'emails' | 'accounts' | 'domains' | 'shops',
    string[]
  >;
  records: SourceRecords[];
  /** How the records were joined; empty for a single-record entity. */
  links: LinkEvidence[];
  /** Related parties, kept apart from the seller's own records (never merged into the entity). */
  related: RelatedParty[];
  link_method: 'scored' | 'exact';
  revenue: RevenueComputation | null;
  reasons: { code: string; text: string }[];
  /** Things the analyst should know about the dossier itself (stale warehouse, list cut …). */
  notes: string[];
}

export interface DossierOptions {
  /** Tax year of the run (run.json). */
  taxYear: number;
  runId?: string | null;
  /** The entity's case row from the run, if on the list. */
  caseRow?: CaseRow | null;
  taxRules?: Record<string, TaxYearRules>;
  /** Most rows shown per source (all rows still count in the summary). Default 25. */
  rowsPerSource?: number;
  /** Length of the run's work list (run.json `work_list.cases`): a case ranked below it is said to be. */
  workList?: number;
  /** How the run resolved identities (config `resolve.method`); 'exact' explains links by shared identifiers. */
  resolveMethod?: 'scored' | 'exact';
  /** How an unclassified seller's activity is estimated (config `score.activity`), as the run did. */
  activity?: ActivityOptions;
  /** What `db` is, for the message when the entity is not in it (default: the warehouse). */
  searched?: string;
}

/** How a record is named in the dossier; a COD sender profile has a hashed key, so it is named by what identifies
 * it. */
const recordLabelSql =
  `case source
    when 'cod_shipments' then 'COD sender ' || concat_ws(' → ', coalesce(phone, name_display, '?'), account) || ` +
  `coalesce(' (' || province || ')', '')
    else source_key end`;

const tableExists = (db: Db, name: string) => db.tableExists(name);

/**
 * Builds the dossier of an entity from the warehouse.
 *
 * @example const d = await buildDossier(db, 'EDAC4D33858', { taxYear: 2025, caseRow, runId });
 */
export async function buildDossier(db: Db, entityId: string, opts: DossierOptions): Promise<Dossier> {
  const limit = opts.rowsPerSource ?? 25;
  const notes: string[] = [];
  const identities = await db.all<IdentityRecord>(
    `select record_id::bigint as record_id, source,
        ${recordLabelSql} as label,
        name_display as name, tax_id, national_id, phone, email, account, domain, province
     from int_entities where entity_id = $e order by source, source_key`,
    { e: entityId },
  );
  if (identities.length === 0) {
    throw new InputError(
      entityId,
      `no such entity in ${opts.searched ?? 'the warehouse'}; entity ids look like E1A2B3C4D5E and belong to ` +
        `a run: take it from that run's cases.csv, and give --run when it is not the latest`,
    );
  }
  const distinct = (f: (r: IdentityRecord) => string | null) =>
    [...new Set(identities.map(f).filter((v): v is string => !!v))].sort();
  const identifiers: Dossier['identifiers'] = {
    names: distinct((r) => r.name),
    tax_ids: distinct((r) => r.tax_id),
    national_ids: distinct((r) => r.national_id),
    phones: distinct((r) => r.phone),
    emails: distinct((r) => r.email),
    accounts: distinct((r) => r.account),
    domains: distinct((r) => r.domain),
    shops: distinct((r) => (r.source === 'platform_sellers' ? r.label : null)),
  };

  const featureYear = (await tableExists(db, 'mart_entity_features'))
    ? await db.value<number | null>(`select max(tax_year) from mart_entity_features`)
    : null;
  if (featureYear !== null && featureYear !== opts.taxYear) {
    notes.push(
      `the warehouse holds features for tax year ${featureYear}, not ${opts.taxYear}: amounts below are ` +
        `for ${featureYear}; run \`sangloc run --tax-year ${opts.taxYear}\` to rebuild`,
    );
  }
  const year = featureYear ?? opts.taxYear;
  const records = await sourceRecords(db, entityId, year, limit);
  const method = opts.resolveMethod ?? ((await tableExists(db, 'resolve_links')) ? 'scored' : 'exact');
  const links =
    method === 'scored' && (await tableExists(db, 'resolve_links'))
      ? await scoredLinks(db, entityId)
      : exactLinks(identities);
  const related = await relatedParties(db, entityId);
  const registryCandidate = await registryCandidateOf(db, entityId);
  const revenue = await revenueComputation(db, entityId, year, opts, records);
  const row = opts.caseRow ?? null;
  if (!row) notes.push('not on the case list of this run (already audited for the year, or no tax gap)');
  else if (opts.workList !== undefined && row.rank > opts.workList)
    notes.push(
      `ranked ${row.rank} in the full ranking, below this run's work list of ${opts.workList} cases ` +
        '(cases.csv keeps every entity; the work list is its first rows)',
    );
  const reasons = row ? row.reason_codes.map((code, k) => ({ code, text: row.reasons[k] ?? '' })) : [];
  return {
    entity_id: entityId,
    registry_candidate: registryCandidate,
    tax_year: year,
    run_id: opts.runId ?? null,
    case: row,
    identities,
    identifiers,
    records,
    links,
    related,
    link_method: links.length > 0 && links.every((l) => l.method === 'exact') ? 'exact' : method,
    revenue,
    reasons,
    notes,
  };
}

async function registryCandidateOf(db: Db, entityId: string): Promise<RegistryCandidate | null> {
  if (!(await tableExists(db, 'mart_registry_candidates'))) return null;
  const r = await db.one<{
    candidate_id: string;
    candidate_tax_id: string | null;
    weight: number;
    evidence: string;
    candidate_declared_revenue: number;
    candidate_tax_paid: number;
    name: string | null;
    province: string | null;
  }>(
    `select c.*, p.name, p.province from mart_registry_candidates c
     left join mart_entity_profile p on p.entity_id = c.candidate_id where c.entity_id = $e`,
    { e: entityId },
  );
  if (!r) return null;
  return {
    entity_id: r.candidate_id,
    tax_id: r.candidate_tax_id,
    name: r.name,
    province: r.province,
    weight: Number(r.weight),
    evidence: r.evidence.split(','),
    declared_revenue_vnd: Number(r.candidate_declared_revenue),
    tax_paid_vnd: Number(r.candidate_tax_paid),
  };
}

interface SourceQuery {
  source: string;
  /** Must select entity-filtered rows; columns are shown as they come. */
  sql: string;
  amount: string | null;
  klass: string | null;
  order: string;
}

/** Per source: the rows of the entity (dated sources restricted to the tax year). */
function sourceQueries(): SourceQuery[] {
  return [
    {
      source: 'taxpayers',
      sql:
        `select t.record_key as tax_id, t.name, t.taxpayer_type, t.activity_group, t.status, ` +
        `t.registered_on::varchar as registered_on, t.province
            from stg_taxpayers t join int_entities e on e.source = 'taxpayers' and e.source_key = t.record_key ` +
        `where e.entity_id = $e`,
      amount: null,
      klass: 'status',
      order: 'tax_id',
    },
    {
      source: 'declarations',
      sql: `select d.tax_id, d.period, d.declared_revenue, d.tax_paid, d.filed_on::varchar as filed_on
            from stg_declarations d join int_entity_tax_codes c on c.code = d.tax_id
            where c.entity_id = $e and d.tax_year = $y`,
      amount: 'declared_revenue',
      klass: null,
      order: 'period, tax_id',
    },
    {
      source: 'platform_sellers',
      sql:
        `select p.record_key, p.shop_name, p.period, p.gmv, p.orders, p.tax_withheld, p.payout_account
            from stg_platform_sellers p join int_entities e on e.source = 'platform_sellers' and e.source_key = ` +
        `p.shop_key
            where e.entity_id = $e and p.tax_year = $y`,
      amount: 'gmv',
      klass: null,
      order: 'record_key',
    },
    {
      source: 'websites',
      sql:
        `select w.domain, w.kind, w.status, w.notified_on::varchar as notified_on, w.owner_name
            from stg_websites w join int_entities e on e.source = 'websites' and e.source_key = w.record_key ` +
        `where e.entity_id = $e`,
      amount: null,
      klass: 'status',
      order: 'domain',
    },
    {
      source: 'cod_shipments',
      sql:
        `select record_key, carrier, picked_up_on::varchar as picked_up_on, cod_amount, status, parcel_class ` +
        `as class, remit_account
            from int_parcels_classified where entity_id = $e and tax_year = $y`,
      amount: 'cod_amount',
      klass: 'class',
      order: 'picked_up_on, record_key',
    },
    {
      source: 'bank_transactions',
      sql:
        `select record_key, account, strftime(booked_at, '%Y-%m-%d %H:%M') as booked_at, amount, ` +
        `credit_class as class, counterparty_account, counterparty_key as counterparty
            from int_bank_credits_classified where entity_id = $e and tax_year = $y`,
      amount: 'amount',
      klass: 'class',
      order: 'booked_at, record_key',
    },
  ];
}

async function sourceRecords(db: Db, entityId: string, year: number, limit: number): Promise<SourceRecords[]> {
  const out: SourceRecords[] = [];
  for (const q of sourceQueries()) {
    const sql = q.sql;
    // DuckDB refuses a parameter the statement does not use: bind the year only where it is used.
    const bind: Record<string, string | number> = sql.includes('$y') ? { e: entityId, y: year } : { e: entityId };
    const summary = await db.one<{ n: number; amount: number | null }>(
      `select count(*)::bigint as n, ${q.amount ? `sum(${q.amount})::bigint` : 'null'} as amount from (${sql})`,
      bind,
    );
    const n = summary?.n ?? 0;
    if (n === 0) continue;
    const classes = q.klass
      ? await db.all<{ class: string; count: number; amount_vnd: number }>(
          `select coalesce(${q.klass}, '?') as class, count(*)::bigint as ` +
            `count, ${q.amount ? `coalesce(sum(${q.amount}), 0)::bigint` : '0'} as amount_vnd
           from (${sql}) group by 1 order by amount_vnd desc, class`,
          bind,
        )
      : [];
    const rows = await db.all(`select * from (${sql}) order by ${q.order} limit ${Math.max(0, limit)}`, bind);
    const columns = rows[0] ? Object.keys(rows[0]) : [];
    out.push({
      source: q.source,
      count: n,
      amount_vnd: q.amount ? (summary?.amount ?? 0) : null,
      classes,
      columns,
      rows,
    });
  }
  return out;
}

const relatedColumns = [
  'hub_phone',
  'hub_name_key',
  'hub_account',
  'shared_phone',
  'shared_email',
  'shared_account',
] as const;
const relatedKind: Record<(typeof relatedColumns)[number], RelatedParty['kind']> = {
  hub_phone: 'warehouse_phone',
  hub_name_key: 'warehouse_name',
  hub_account: 'warehouse_account',
  shared_phone: 'shared_phone',
  shared_email: 'shared_email',
  shared_account: 'shared_account',
};

/** Warehouses, shared contacts and weak links of an entity, with the other entities that carry them. */
async function relatedParties(db: Db, entityId: string): Promise<RelatedParty[]> {
  const have = new Set(
    (await db.all<{ column_name: string }>(`describe select * from int_entities`)).map((r) => r.column_name),
  );
  const out: RelatedParty[] = [];
  for (const col of relatedColumns) {
    if (!have.has(col)) continue;
    const rows = await db.all<{ value: string; recs: string; entities: string | null; n: number }>(
      `with mine as (
         select ${col} as value, string_agg(distinct record_id::varchar, '|') as recs
         from int_entities where entity_id = $e and ${col} is not null group by 1)
       select m.value, m.recs, string_agg(distinct o.entity_id, '|' order by o.entity_id) as entities,
              count(distinct o.entity_id)::bigint as n
       from mine m left join int_entities o on o.${col} = m.value and o.entity_id <> $e
       group by m.value, m.recs order by m.value`,
      { e: entityId },
    );
    for (const r of rows)
      out.push({
        kind: relatedKind[col],
        value: r.value,
        entities: (r.entities ? r.entities.split('|') : []).slice(0, 20),
        entity_count: Number(r.n),
        records: recordIds(r.recs),
      });
  }
  if (await tableExists(db, 'resolve_links')) {
    const weak = await db.all<{ other: string; label: string; w: number; recs: string }>(
      `with mine as (select record_id from int_entities where entity_id = $e),
       cross_links as (
         select case when l.record_a in (select record_id from mine) then l.record_b else l.record_a end as ` +
        `other_record, case when l.record_a in (select record_id from mine) then l.record_a else l.record_b end as ` +
        `my_record, l.match_weight
         from resolve_links l
         where not l.kept and ((l.record_a in (select record_id from mine)) <> (l.record_b in (select record_id ` +
        `from mine))))
       select o.entity_id as other, o.source || ' ' || o.label as label, max(c.match_weight) as w,
              string_agg(distinct c.my_record::varchar, '|') as recs
       from cross_links c
       join (select entity_id, record_id, source, ${recordLabelSql} as label from int_entities) o on ` +
        `o.record_id = c.other_record
       group by all order by w desc, other limit 20`,
      { e: entityId },
    );
    for (const r of weak)
      out.push({
        kind: 'weak_link',
        value: `${r.label} (${fmt().dec(r.w, 1)} bits)`,
        entities: [r.other],
        entity_count: 1,
        records: recordIds(r.recs),
      });
  }
  return out;
}

/** `'12|3|7'` → [3, 7, 12]. */
const recordIds = (recs: string | null): number[] =>
  (recs ? recs.split('|').map(Number) : []).filter(Number.isFinite).sort((a, b) => a - b);

async function scoredLinks(db: Db, entityId: string): Promise<LinkEvidence[]> {
  const rows = await db.all<{
    a: string;
    b: string;
    ia: number;
    ib: number;
    w: number;
    p: number;
    c: string | null;
    parts: string | null;
  }>(
    `with recs as (
        select record_id, ${recordLabelSql} as label, source
        from int_entities where entity_id = $e)
     select ra.source || ' ' || ra.label as a, rb.source || ' ' || rb.label as b, ` +
      `ra.record_id::bigint as ia, rb.record_id::bigint as ib, l.match_weight as w, ` +
      `l.match_probability as p,
            l.confidence as c, l.parts::varchar as parts
     from resolve_links l join recs ra on ra.record_id = l.record_a join recs rb on rb.record_id = l.record_b
     where l.kept
     order by l.match_weight desc, a, b, ia, ib`,
    { e: entityId },
  );
  return rows.map((r) => {
    const parts = r.parts ? (JSON.parse(r.parts) as Record<string, number>) : {};
    return {
      record_a: r.a,
      record_b: r.b,
      method: 'scored',
      match_weight: r.w,
      match_probability: r.p,
      confidence: r.c,
      parts: Object.entries(parts)
        .filter(([, w]) => typeof w === 'number' && w !== 0)
        .map(([part, weight]) => ({ part, weight: Math.round(weight * 1000) / 1000 }))
        .sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight) || x.part.localeCompare(y.part)),
      shared: [],
      id_a: Number(r.ia),
      id_b: Number(r.ib),
    };
  });
}

const sharedKinds = ['tax_id', 'national_id', 'phone', 'account', 'email', 'domain'] as const;

/** Pairs of records sharing an identifier value: how the exact resolver joins them. */
export function exactLinks(identities: readonly IdentityRecord[]): LinkEvidence[] {
  const out: LinkEvidence[] = [];
  for (let i = 0; i < identities.length; i++) {
    for (let j = i + 1; j < identities.length; j++) {
      const a = identities[i]!;
      const b = identities[j]!;
      const shared = sharedKinds.filter((k) => a[k] && a[k] === b[k]);
      if (shared.length === 0) continue;
      out.push({
        record_a: `${a.source} ${a.label}`,
        record_b: `${b.source} ${b.label}`,
        method: 'exact',
        match_weight: null,
        match_probability: null,
        confidence: null,
        parts: [],
        shared: [...shared],
        id_a: a.record_id,
        id_b: b.record_id,
      });
    }
  }
  return out;
}

async function revenueComputation(
  db: Db,
  entityId: string,
  year: number,
  opts: DossierOptions,
  records: readonly SourceRecords[],
): Promise<RevenueComputation | null> {
  const taxRules: Record<string, TaxYearRules> | undefined = opts.taxRules;
  const f = await db.one<Record<string, number | string | null>>(
    `select * from mart_entity_features where entity_id = $e`,
    { e: entityId },
  );
  if (!f) return null;
  const v = (k: string) => (typeof f[k] === 'number' && Number.isFinite(f[k]) ? (f[k] as number) : 0);
  const rules = rulesForYear(year, taxRules);
  const classAmount = (source: string, klass: string) =>
    records.find((r) => r.source === source)?.classes.find((c) => c.class === klass) ?? { count: 0, amount_vnd: 0 };
  const returned = classAmount('cod_shipments', 'returned');
  const cancelled = classAmount('cod_shipments', 'cancelled');
  // the rate as the scorer sets it: the mix is learned from every entity of the warehouse
  const all = await readEntityBatch(db);
  const at = all.ids.indexOf(entityId);
  if (at < 0) throw new Error(`explain: ${entityId} has features but is not in the scorer's batch`);
  const derived = deriveAmounts(all.batch, rules, { provinces: all.provinces, activity: opts.activity });
  const basis = derived.basis[at]!;
  const group: ActivityGroup = basis.group;
  const groupSource = basis.source;
  const range = groupRange(basis, rules);
  const observed = v('observed_revenue');
  const declared = v('declared_revenue');
  const estimated = Math.max(observed, declared);
  // a possible registered twin's declarations count in proportion to its weight (engine/score/gap.ts)
  const w = v('registry_candidate_weight');
  const candDeclared = w > 0 ? w * v('candidate_declared_revenue') : 0;
  const candPaid = w > 0 ? w * v('candidate_tax_paid') : 0;
  const undeclared = Math.max(0, estimated - Math.max(declared + candDeclared, v('gmv_withheld')));
  // × the chance the revenue passes the threshold when only transfers that name nothing take it there
  // (engine/score/gap.ts thresholdChance)
  const unnamed = v('bank_trade_unnamed');
  const chance = thresholdChance(estimated, declared, unnamed, rules.threshold);
  const dueAll = expectedTax(estimated, basis, rules);
  const due = { vat: dueAll.vat * chance, pit: dueAll.pit * chance, total: dueAll.total * chance };
  // whole VND, as the case list writes it
  const gap = Math.round(Math.max(0, due.total - v('tax_paid') - candPaid - v('tax_withheld')));
  // tax withheld on shops of other entities, credited here because it was reported under a code this
  // entity files its returns under (pipelines/intermediate/int_withholding_credited.sql)
  const credited = (await db.tableExists('int_withholding_credited'))
    ? await db.all<{ shop_key: string; tax_withheld: number }>(
        `select s.shop_key, sum(c.tax_withheld)::double as tax_withheld
         from int_withholding_credited c join stg_platform_sellers s on s.record_key = c.record_key
         where c.entity_id = $e and c.tax_year = $y group by 1 order by 1`,
        { e: entityId, y: year },
      )
    : [];
  // Notes follow the process's language (`--lang`), like the numbers in them.
  const t = (vi: string, en: string) => (fmt().lang === 'vi' ? vi : en);
  const n = (x: number) => fmt().int(x);
  const steps: RevenueStep[] = [
    {
      key: 'platform_gmv',
      label_vi: 'Doanh thu trên sàn (GMV)',
      label_en: 'Marketplace sales (GMV)',
      amount_vnd: v('platform_gmv'),
      role: 'counted',
      note: t(
        `${n(v('platforms'))} sàn, ${n(v('platform_months'))} kỳ`,
        `${n(v('platforms'))} platform(s), ${n(v('platform_months'))} period(s)`,
      ),
    },
    {
      key: 'cod_sales',
      label_vi: 'Hàng COD đã giao',
      label_en: 'Delivered COD parcels',
      amount_vnd: v('cod_sales'),
      role: 'counted',
      note: t(
        `${n(v('cod_parcels'))} đơn, ${n(v('carriers'))} hãng vận chuyển`,
        `${n(v('cod_parcels'))} parcel(s), ${n(v('carriers'))} carrier(s)`,
      ),
    },
    {
      key: 'cod_returned',
      label_vi: 'COD hoàn trả / hủy (không phải doanh thu)',
      label_en: 'Returned / cancelled parcels (not sales)',
      amount_vnd: returned.amount_vnd + cancelled.amount_vnd,
      role: 'excluded',
      note: t(`${n(returned.count + cancelled.count)} đơn`, `${n(returned.count + cancelled.count)} parcel(s)`),
    },
    {
      key: 'cod_marketplace',
      label_vi: 'COD thu hộ cho sàn (đã nằm trong GMV)',
      label_en: 'COD collected for a marketplace (already in GMV)',
      amount_vnd: v('cod_marketplace'),
      role: 'excluded',
      note: t('trả vào tài khoản dùng chung của nhiều người gửi', 'remitted to an account shared by many senders'),
    },
    {
      key: 'bank_trade',
      label_vi: 'Tiền bán hàng qua ngân hàng',
      label_en: 'Bank credits from buyers',
      amount_vnd: v('bank_trade'),
      role: 'counted',
      note: t(
        `${n(v('bank_trade_credits'))} khoản nhận từ ${n(v('distinct_payers'))} người trả`,
        `${n(v('bank_trade_credits'))} credit(s) from ${n(v('distinct_payers'))} payer(s)`,
      ),
    },
    {
      key: 'bank_carrier_remittance',
      label_vi: 'Tiền hãng vận chuyển chuyển trả COD (đã tính ở COD)',
      label_en: 'Carrier remittances of COD cash (counted as COD)',
      amount_vnd: v('bank_carrier_remittance'),
      role: 'excluded',
      note: t('cùng doanh thu với các đơn COD', 'same sales as the parcels'),
    },
    {
      key: 'bank_platform_payout',
      label_vi: 'Tiền sàn thanh toán (đã tính ở GMV)',
      label_en: 'Marketplace payouts (counted as GMV)',
      amount_vnd: v('bank_platform_payout'),
      role: 'excluded',
      note: t('cùng doanh thu với GMV', 'same sales as the GMV'),
    },
    {
      key: 'bank_private',
      label_vi: 'Chuyển khoản cá nhân (lương, gia đình, vay, hoàn tiền)',
      label_en: 'Private credits (salary, family, loans, refunds)',
      amount_vnd: v('bank_private'),
      role: 'excluded',
      note: t('không phải doanh thu', 'not sales'),
    },
    {
      key: 'observed_revenue',
      label_vi: 'Doanh thu quan sát (tính một lần)',
      label_en: 'Observed revenue (counted once)',
      amount_vnd: observed,
      role: 'result',
      note: t('GMV + COD đã giao + tiền người mua chuyển khoản', 'GMV + delivered COD + bank credits from buyers'),
    },
    {
      key: 'declared_revenue',
      label_vi: 'Doanh thu đã kê khai',
      label_en: 'Declared revenue',
      amount_vnd: declared,
      role: 'info',
      note: t(
        `${n(v('returns'))} tờ khai; đã nộp ${n(v('tax_paid'))} VND`,
        `${n(v('returns'))} return(s); tax paid ${n(v('tax_paid'))} VND`,
      ),
    },
    ...(w > 0
      ? [
          {
            key: 'candidate_declared',
            label_vi: 'Kê khai của người nộp thuế có thể trùng (theo độ tin cậy)',
            label_en: 'Declared by the possible registered twin (× weight)',
            amount_vnd: Math.round(candDeclared),
            role: 'info' as const,
            note: t(
              `độ tin cậy ${fmt().num(w, 2)} × ${n(v('candidate_declared_revenue'))}; ` +
                `đã nộp ${n(Math.round(candPaid))} VND`,
              `weight ${fmt().num(w, 2)} × ${n(v('candidate_declared_revenue'))}; ` +
                `tax paid ${n(Math.round(candPaid))} VND`,
            ),
          },
        ]
      : []),
    {
      key: 'estimated_revenue',
      label_vi: 'Doanh thu ước tính',
      label_en: 'Estimated revenue',
      amount_vnd: estimated,
      role: 'result',
      note: t('max(quan sát, kê khai)', 'max(observed, declared)'),
    },
    {
      key: 'gmv_withheld',
      label_vi: 'GMV đã được sàn khấu trừ thuế',
      label_en: 'GMV on which a platform withheld tax',
      amount_vnd: v('gmv_withheld'),
      role: 'info',
      note:
        t(`thuế đã khấu trừ ${n(v('tax_withheld'))} VND`, `tax withheld ${n(v('tax_withheld'))} VND`) +
        (credited.length === 0
          ? ''
          : t(
              `, trong đó ${n(credited.reduce((a, c) => a + c.tax_withheld, 0))} VND khấu trừ trên gian hàng ` +
                `của hồ sơ khác, kê khai theo mã số của người này: ${credited.map((c) => c.shop_key).join(', ')}`,
              `, of which ${n(credited.reduce((a, c) => a + c.tax_withheld, 0))} VND withheld on shops of other ` +
                `entities, reported under this seller's code: ${credited.map((c) => c.shop_key).join(', ')}`,
            )),
    },
    {
      key: 'undeclared_revenue',
      label_vi: 'Doanh thu chưa kê khai',
      label_en: 'Undeclared revenue',
      amount_vnd: undeclared,
      role: 'result',
      note:
        w > 0
          ? t(
              'ước tính − max(kê khai + kê khai của người có thể trùng × độ tin cậy, GMV đã khấu trừ thuế)',
              'estimated − max(declared + weighted twin declared, GMV with tax withheld)',
            )
          : t('ước tính − max(kê khai, GMV đã khấu trừ thuế)', 'estimated − max(declared, GMV with tax withheld)'),
    },
    {
      key: 'tax_due',
      label_vi: 'Thuế phải nộp (GTGT + TNCN)',
      label_en: 'Tax due (VAT + PIT)',
      amount_vnd: due.total,
      role: 'result',
      note: t(
        `GTGT ${n(due.vat)} + TNCN ${n(due.pit)} theo ` +
          (basis.mix ? `thuế suất ước tính ${fmt().pct(derived.rate[at]!, 1)}` : `thuế suất nhóm ${group}`) +
          `; ngưỡng ${n(rules.threshold)}` +
          (chance < 1
            ? `; × ${fmt().pct(chance, 0)} khả năng vượt ngưỡng: chỉ vượt nhờ ${n(unnamed)} chuyển khoản ` +
              'không ghi nội dung (có thể là tiền của gia đình)'
            : ''),
        `VAT ${n(due.vat)} + PIT ${n(due.pit)} at ` +
          (basis.mix ? `the estimated rate ${fmt().pct(derived.rate[at]!, 1)}` : `${group} rates`) +
          `; threshold ${n(rules.threshold)}` +
          (chance < 1
            ? `; × ${fmt().pct(chance, 0)} chance of passing it: only ${n(unnamed)} of transfers that name ` +
              'nothing (possibly family money) take the revenue there'
            : ''),
      ),
    },
    {
      key: 'tax_gap',
      label_vi: 'Chênh lệch thuế',
      label_en: 'Tax gap',
      amount_vnd: gap,
      role: 'result',
      note:
        w > 0
          ? t(
              'thuế phải nộp − đã nộp − đã nộp của người có thể trùng × độ tin cậy − đã khấu trừ, tối thiểu 0',
              'tax due − tax paid − weighted twin tax paid − tax withheld, at least 0',
            )
          : t('thuế phải nộp − đã nộp − đã khấu trừ, tối thiểu 0', 'tax due − tax paid − tax withheld, at least 0'),
    },
  ];
  return {
    tax_year: year,
    activity_group: group,
    group_source: groupSource,
    rate: {
      used: derived.rate[at]!,
      min: derived.rateMin[at]!,
      max: derived.rateMax[at]!,
      basis_vi: rateBasisOf(derived, at, rules, 'vi'),
      basis_en: rateBasisOf(derived, at, rules, 'en'),
      tax_due_min_vnd: taxDue(estimated, range.lo, rules).total * chance,
      tax_due_max_vnd: taxDue(estimated, range.hi, rules).total * chance,
    },
    rules: {
      threshold: rules.threshold,
      vat_rate: mixRate(basis, rules, 'vat'),
      pit_rate: mixRate(basis, rules, 'pit'),
      pit_on_excess_only: rules.pitOnExcessOnly,
      vat_on_whole_revenue: rules.vatOnWholeRevenue,
    },
    steps,
    observed_revenue_vnd: observed,
    declared_revenue_vnd: declared,
    estimated_revenue_vnd: estimated,
    undeclared_revenue_vnd: undeclared,
    tax_due_vnd: due.total,
    vat_vnd: due.vat,
    pit_vnd: due.pit,
    tax_gap_vnd: gap,
  };
}

/** VAT or PIT rate of a basis: its group's, or the share-weighted mean over a mix. */
function mixRate(b: ActivityBasis, rules: TaxYearRules, part: 'vat' | 'pit'): number {
  if (!b.mix) return rules.rates[b.group][part];
  let r = 0;
  for (const [g, share] of Object.entries(b.mix.shares)) r += share * rules.rates[g as ActivityGroup][part];
  return r;
}
