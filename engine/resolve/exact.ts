import type { Db } from '../warehouse/db.js';
import { ident } from '../warehouse/db.js';
import { Components } from './cluster.js';

/** Identifier columns of identity_records that link records when equal. */
export const exactIdentifiers = ['tax_id', 'national_id', 'account', 'phone', 'email', 'domain'] as const;

export interface ExactOptions {
  /** A value carried by more distinct names than this links nothing (hub phones, marketplace accounts). */
  maxNamesPerValue: number;
}

/**
 * The walking skeleton's resolver: records sharing an exact identifier are one entity, except values
 * carried by many distinct names. Reads `int_identity_records`, writes `resolve_clusters(record_id,
 * cluster_id)` where cluster_id is the smallest record_id of the cluster.
 *
 * @example await resolveExact(db, { maxNamesPerValue: 3 });
 */
export async function resolveExact(
  db: Db,
  opts: ExactOptions,
): Promise<{ records: number; clusters: number; edges: number }> {
  const unions = exactIdentifiers
    .map(
      (c) =>
        `select record_id, ${ident(c)} as v, '${c}' as kind, name_key from int_identity_records ` +
        `where ${ident(c)} is not null`,
    )
    .join(' union all ');
  // a shop's payouts into an account are a record of their own (int_identity_records.sql): it goes with its shop
  const payouts =
    `select record_id, shop_key as v, 'shop_key' as kind, null as name_key from int_identity_records ` +
    `where shop_key is not null and source in ('platform_sellers', 'bank_transactions')`;
  const { columns, rowCount } = await db.numericColumns(`
    with vals as (${unions} union all ${payouts}),
    allowed as (
      select kind, v from vals group by kind, v
      having count(distinct coalesce(name_key, '')) <= ${Number(opts.maxNamesPerValue)} and count(*) > 1
    )
    select vals.record_id as a, min(vals.record_id) over (partition by vals.kind, vals.v) as b
    from vals join allowed using (kind, v)
  `);
  const n = (await db.value<number>(`select count(*)::bigint from int_identity_records`)) ?? 0;
  const parent = unionFind(n, columns[0]!, columns[1]!, rowCount);
  await writeClusters(db, parent);
  const roots = new Set<number>();
  for (let i = 0; i < n; i++) roots.add(parent[i]!);
  return { records: n, clusters: roots.size, edges: rowCount };
}

/** Connected components over edges (a[i], b[i]); returns for each node the smallest node of its component. */
export function unionFind(n: number, a: ArrayLike<number>, b: ArrayLike<number>, edges: number): Int32Array {
  const uf = new Components(n);
  for (let e = 0; e < edges; e++) uf.union(a[e]!, b[e]!);
  return Int32Array.from({ length: n }, (_, i) => uf.find(i));
}

/** Writes `resolve_clusters` from a parent array (index = record_id). */
export async function writeClusters(db: Db, parent: Int32Array): Promise<void> {
  await db.exec(`create or replace table resolve_clusters (record_id bigint, cluster_id bigint)`);
  await db.appendRows(
    'resolve_clusters',
    (function* () {
      for (let i = 0; i < parent.length; i++) yield [BigInt(i), BigInt(parent[i]!)];
    })(),
  );
}
