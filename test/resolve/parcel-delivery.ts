/**
 * Hand-built deliveries for the resolver's guard tests (guards, guards-fulfilment,
 * guards-typos): rows per staging table, every record key starting with its person (`A:…`), run
 * through int_cod_senders → int_identity_records → resolveIdentities → int_entities →
 * int_record_identity → int_parcels_classified.
 */
import { featureVariables } from '../../engine/features/variables.js';
import { installNormalizeMacros } from '../../engine/normalize/sql.js';
import { resolveIdentities } from '../../engine/resolve/identity.js';
import type { LinkSpec } from '../../engine/resolve/spec.js';
import type { Db } from '../../engine/warehouse/db.js';
import { runModels, setVariables } from '../../engine/warehouse/pipeline.js';

export type Row = Record<string, string | null | undefined>;

/** The staging columns each hand-built delivery table has (all varchar). */
export const cols = {
  stg_taxpayers: [
    'record_key',
    'name',
    'name_key',
    'national_id',
    'tax_id',
    'phone',
    'email',
    'province',
    'address',
    'taxpayer_type',
    'activity_group',
    'registered_on',
    'status',
  ],
  stg_platform_sellers: [
    'record_key',
    'shop_key',
    'shop_name',
    'owner_name',
    'name_key',
    'national_id',
    'tax_id',
    'phone',
    'email',
    'payout_account',
    'province',
    'address',
    'period',
  ],
  stg_websites: [
    'record_key',
    'owner_name',
    'name_key',
    'national_id',
    'tax_id',
    'phone',
    'email',
    'domain',
    'province',
    'address',
  ],
  stg_bank_transactions: [
    'record_key',
    'account',
    'holder_name',
    'name_key',
    'national_id',
    'tax_id',
    'booked_at',
    'direction',
    'description',
    'description_key',
    'counterparty_account',
    'tax_year',
    'counterparty_key',
    'amount',
  ],
  stg_cod_shipments: [
    'record_key',
    'carrier',
    'tax_year',
    'picked_up_on',
    'sender_name',
    'name_key',
    'phone',
    'remit_account',
    'province',
    'address',
    'cod_amount',
    'status',
  ],
} as const;
export type Table = keyof typeof cols;
export type Delivery = Partial<Record<Table, Row[]>>;

/** `spec`: the resolver's spec when not the default (a test fixing the prior a real delivery's EM finds). */
export async function build(db: Db, d: Delivery, spec?: LinkSpec): Promise<void> {
  await installNormalizeMacros(db);
  await setVariables(db, featureVariables(2025));
  for (const [t, columns] of Object.entries(cols) as [Table, readonly string[]][]) {
    await db.exec(`create or replace table ${t} (${columns.map((c) => `${c} varchar`).join(', ')})`);
    for (const r of d[t] ?? [])
      await db.exec(
        `insert into ${t} values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns.map((c) => r[c] ?? null),
      );
  }
  await db.exec(`alter table stg_cod_shipments alter cod_amount type bigint`);
  await db.exec(`alter table stg_cod_shipments alter tax_year type integer`);
  await runModels(db, (m) => ['int_cod_senders', 'int_identity_records'].includes(m.name));
  await resolveIdentities(db, { seed: 1, ...(spec ? { spec } : {}) });
  await runModels(db, (m) => ['int_entities', 'int_record_identity', 'int_parcels_classified'].includes(m.name));
}

/** Person letters per entity, e.g. ['A', 'B'] for an entity holding records of A and of B. */
export async function entities(db: Db): Promise<string[][]> {
  const rows = await db.all<{ people: string }>(`
    select string_agg(distinct split_part(r.record_key, ':', 1), '' order by split_part(r.record_key, ':', 1)) as people
    from int_record_identity r join resolve_clusters c using (record_id)
    group by c.cluster_id order by people`);
  return rows.map((r) => r.people.split(''));
}

let n = 0;
/** A delivered COD parcel of `person` (record key `person:N`). */
/** Parcels no record holds, per person: `{ C: 3 }`. */
export async function unattributed(db: Db): Promise<Record<string, number>> {
  const rows = await db.all<{ p: string; n: number }>(`
    select split_part(record_key, ':', 1) as p, count(*)::int as n
    from stg_cod_shipments
    where record_key not in (select record_key from int_record_identity where source = 'cod_shipments')
    group by 1 order by 1`);
  return Object.fromEntries(rows.map((r) => [r.p, r.n]));
}

export const parcel = (
  person: string,
  name: string,
  phone: string | null,
  account: string | null,
  address: string,
  province = 'Hà Nội',
): Row => ({
  record_key: `${person}:${++n}`,
  carrier: 'ghn',
  tax_year: '2025',
  picked_up_on: '2025-03-01',
  sender_name: name,
  name_key: name,
  phone,
  remit_account: account,
  province,
  address,
  cod_amount: '200000',
  status: 'delivered',
});
/** A registry row of `person` in Hà Nội (record key `person:tN`). */
export const taxpayer = (person: string, name: string, nid: string, phone: string | null, address: string): Row => ({
  record_key: `${person}:t${++n}`,
  name,
  name_key: name,
  national_id: nid,
  tax_id: nid,
  phone,
  province: 'Hà Nội',
  address,
});
