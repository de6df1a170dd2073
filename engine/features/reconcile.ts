import { RevenueReconciliationError } from '../errors.js';
import { fmt } from '../format.js';
import type { Db } from '../warehouse/db.js';

/**
 * Why a COD parcel or bank credit is, or is not, in some seller's revenue of the tax year. Every row
 * lands in exactly one bucket, in this order of precedence; `unexplained` (attributed to a seller,
 * yet in no revenue and with no reason) is a bug of the models. `carrier_remittance_no_parcels`: COD
 * cash a carrier paid to a seller none of whose parcels of the year is counted (the parcels it pays
 * for are among the unattributed ones, booked by a warehouse): left out like any remittance, but
 * shown apart, as revenue the list does not see.
 */
export const reconciliationBuckets = {
  cod_shipments: ['counted', 'other_year', 'returned', 'cancelled', 'unattributed', 'marketplace', 'unexplained'],
  bank_transactions: [
    'counted',
    'other_year',
    'unattributed',
    'carrier_remittance',
    'carrier_remittance_no_parcels',
    'platform_payout',
    'private',
    'unexplained',
  ],
} as const;

export type ReconciledSource = keyof typeof reconciliationBuckets;

export interface ReconciliationBucket {
  bucket: string;
  rows: number;
  vnd: number;
}

/** One source's rows (COD parcels of every status, bank credits) in their buckets, and the revenue they add up to. */
export interface SourceReconciliation {
  source: ReconciledSource;
  rows: number;
  vnd: number;
  /** Every bucket of the source, in `reconciliationBuckets` order, zeros included. */
  buckets: ReconciliationBucket[];
  /** Σ of the source's column in int_revenue_by_entity for the tax year (cod_sales, bank_trade). */
  revenue_vnd: number;
}

/**
 * run.json `revenue_reconciliation`: for the run's tax year, every COD parcel and bank credit either
 * counted in some entity's revenue or excluded for a stated reason. `unexplained` sums the rows
 * attributed but counted nowhere, and `revenue_mismatch_vnd` the revenue minus the counted rows
 * (a row counted twice, or dropped between the classified rows and the revenue): both must be 0.
 */
export interface RevenueReconciliation {
  tax_year: number;
  sources: SourceReconciliation[];
  unexplained: { rows: number; vnd: number; revenue_mismatch_vnd: number };
}

/** The bucket of each row, in SQL: the first reason that holds. */
const bucketSql: Record<ReconciledSource, string> = {
  // the attributed parcels are int_record_identity's (as run.json `unattributed` counts the others)
  cod_shipments: `
    with attributed as (
        select distinct record_key from int_record_identity where source = 'cod_shipments'
    ),
    classified as (
        select record_key, min(parcel_class) as parcel_class from int_parcels_classified group by record_key
    ),
    bucketed as (
        select
            s.cod_amount as vnd,
            case
                when s.tax_year is distinct from $year then 'other_year'
                when s.status in ('returned', 'cancelled') then s.status
                when a.record_key is null then 'unattributed'
                when c.parcel_class = 'marketplace' then 'marketplace'
                when c.parcel_class = 'sale' then 'counted'
                else 'unexplained'
            end as bucket
        from stg_cod_shipments s
        left join attributed a on a.record_key = s.record_key
        left join classified c on c.record_key = s.record_key
    )
    select bucket, count(*)::bigint as rows, coalesce(sum(vnd), 0)::bigint as vnd from bucketed group by bucket`,
  bank_transactions: `
    with attributed as (
        select distinct record_key from int_record_identity where source = 'bank_transactions'
    ),
    classified as (
        select record_key, min(credit_class) as credit_class, min(entity_id) as entity_id
        from int_bank_credits_classified
        group by record_key
    ),
    selling as (
        select distinct entity_id from int_parcels_classified where parcel_class = 'sale' and tax_year = $year
    ),
    bucketed as (
        select
            s.amount as vnd,
            case
                when s.tax_year is distinct from $year then 'other_year'
                when a.record_key is null then 'unattributed'
                when c.credit_class = 'carrier_remittance' and sp.entity_id is null then 'carrier_remittance_no_parcels'
                when c.credit_class in ('carrier_remittance', 'platform_payout', 'private') then c.credit_class
                when c.credit_class = 'trade' then 'counted'
                else 'unexplained'
            end as bucket
        from stg_bank_transactions s
        left join attributed a on a.record_key = s.record_key
        left join classified c on c.record_key = s.record_key
        left join selling sp on sp.entity_id = c.entity_id
        where s.direction = 'credit'
    )
    select bucket, count(*)::bigint as rows, coalesce(sum(vnd), 0)::bigint as vnd from bucketed group by bucket`,
};

const revenueColumn: Record<ReconciledSource, string> = { cod_shipments: 'cod_sales', bank_transactions: 'bank_trade' };

/** A source's bucket by name (every bucket of `reconciliationBuckets` is there, zeros included). */
const bucketOf = (s: SourceReconciliation, name: string): ReconciliationBucket =>
  s.buckets.find((b) => b.bucket === name)!;

/**
 * Puts every COD parcel and bank credit of the warehouse in its bucket for `taxYear` and sums the
 * revenue int_revenue_by_entity holds. Reads tables both engines write (staging, int_record_identity,
 * the classified rows, the revenue), so a Spark run is reconciled the same way.
 *
 * @example const r = await reconcileRevenue(db, 2025); r.unexplained.rows // 0
 */
export async function reconcileRevenue(db: Db, taxYear: number): Promise<RevenueReconciliation> {
  const sources: SourceReconciliation[] = [];
  for (const source of Object.keys(reconciliationBuckets) as ReconciledSource[]) {
    const found = new Map(
      (await db.all<ReconciliationBucket>(bucketSql[source], { year: taxYear })).map((b) => [b.bucket, b]),
    );
    const buckets = reconciliationBuckets[source].map((bucket) => ({
      bucket,
      rows: Number(found.get(bucket)?.rows ?? 0),
      vnd: Number(found.get(bucket)?.vnd ?? 0),
    }));
    const revenue = await db.value<number>(
      `select coalesce(sum(${revenueColumn[source]}), 0)::bigint from int_revenue_by_entity where tax_year = $year`,
      { year: taxYear },
    );
    sources.push({
      source,
      rows: buckets.reduce((n, b) => n + b.rows, 0),
      vnd: buckets.reduce((n, b) => n + b.vnd, 0),
      buckets,
      revenue_vnd: Number(revenue ?? 0),
    });
  }
  return {
    tax_year: taxYear,
    sources,
    unexplained: {
      rows: sources.reduce((n, s) => n + bucketOf(s, 'unexplained').rows, 0),
      vnd: sources.reduce((n, s) => n + bucketOf(s, 'unexplained').vnd, 0),
      revenue_mismatch_vnd: sources.reduce((n, s) => n + (s.revenue_vnd - bucketOf(s, 'counted').vnd), 0),
    },
  };
}

/** What does not add up, in words (empty when everything does). */
export function reconciliationProblems(r: RevenueReconciliation): string[] {
  const n = fmt();
  const out: string[] = [];
  for (const s of r.sources) {
    const u = bucketOf(s, 'unexplained');
    if (u.rows > 0)
      out.push(
        `${n.int(u.rows)} ${s.source} row(s) of ${r.tax_year} (${n.int(u.vnd)} VND) attributed to a seller ` +
          'but counted in no revenue, with no reason',
      );
    const counted = bucketOf(s, 'counted').vnd;
    if (s.revenue_vnd !== counted)
      out.push(
        `int_revenue_by_entity holds ${n.int(s.revenue_vnd)} VND of ${s.source} revenue for ${r.tax_year}, ` +
          `the rows it counts ${n.int(counted)} VND`,
      );
  }
  if (out.length > 0)
    out.push('the models lost or doubled money: nothing published; report this run (its failed folder) as a bug');
  return out;
}

/**
 * Throws `RevenueReconciliationError` (exit 70, a bug) when something does not add up: the models
 * lost or doubled money, so the run's figures are wrong and no list is published on them.
 *
 * @example assertReconciled(await reconcileRevenue(db, 2025));
 */
export function assertReconciled(r: RevenueReconciliation): void {
  const problems = reconciliationProblems(r);
  if (problems.length > 0) throw new RevenueReconciliationError(problems);
}

/**
 * One line for the run log: the rows counted and the reasons the others were not.
 *
 * @example reconciliationSummary(r) // 'revenue 2025: cod_shipments 23 rows: counted 3 (6.000.000 VND), …'
 */
export function reconciliationSummary(r: RevenueReconciliation): string {
  const n = fmt();
  return (
    `revenue ${r.tax_year}: ` +
    r.sources
      .map(
        (s) =>
          `${s.source} ${n.int(s.rows)} rows: ` +
          s.buckets
            .filter((b) => b.rows > 0 || b.bucket === 'counted')
            .map((b) => `${b.bucket} ${n.int(b.rows)} (${n.int(b.vnd)} VND)`)
            .join(', '),
      )
      .join('; ')
  );
}
