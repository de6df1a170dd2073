/**
 * Links sangloc's identity records (one per taxpayer, shop, website, account holder, COD sender)
 * into entities: `resolve_links` and `resolve_clusters` in the warehouse.
 */
import { silentLogger, type Logger } from '../log.js';
import type { Db } from '../warehouse/db.js';
import { defaultIdentitySpec } from './default-spec.js';
import { linkRecords } from './link.js';
import { normalizeLinkSpec, type LinkSpec } from './spec.js';
import type { LinkWeights } from './weights.js';

export interface ResolveIdentitiesOptions {
  /** Overrides the default spec (engine/resolve/default-spec.ts). */
  spec?: LinkSpec;
  /** Input table; default `int_identity_records` (the pipeline's model) when present, else `identity_records`. */
  input?: string;
  seed: number;
  log?: Logger;
}

export interface ResolveIdentitiesResult {
  records: number;
  links: number;
  /** Distinct entities (clusters, singletons included). */
  clusters: number;
  keptLinks: number;
  bridgesCut: number;
  /** Links refused because they would join two holders' national IDs. */
  conflicts: number;
  /** Cluster merges by corroboration or a decisive identifier (table `resolve_corroborations`). */
  corroborations: number;
  weights: LinkWeights;
  timings: Record<string, number>;
}

/**
 * Scores and clusters the identity records (`int_identity_records` or `identity_records`; columns: record_id dense
 * from 0, source, name_key,
 * national_id, tax_id, phone, email, account, province, address_key …).
 *
 * @example
 *   const r = await resolveIdentities(db, { seed: 1, log });
 *   // tables resolve_links(record_a, record_b, match_weight, match_probability, confidence, parts, kept, …)
 *   //    resolve_clusters(record_id, cluster_id) and resolve_corroborations(cluster_a, cluster_b, identifiers)
 */
export async function resolveIdentities(db: Db, options: ResolveIdentitiesOptions): Promise<ResolveIdentitiesResult> {
  const spec = normalizeLinkSpec(
    options.spec ?? defaultIdentitySpec,
    options.spec ? 'resolve spec' : 'default resolve spec',
  );
  const input =
    options.input ?? ((await db.tableExists('int_identity_records')) ? 'int_identity_records' : 'identity_records');
  const r = await linkRecords(db, {
    input,
    idColumn: 'record_id',
    spec,
    seed: options.seed,
    log: options.log ?? silentLogger(),
  });
  return {
    records: r.records,
    links: r.links,
    clusters: r.clusters,
    keptLinks: r.keptLinks,
    bridgesCut: r.bridgesCut,
    conflicts: r.conflicts,
    corroborations: r.corroborations,
    weights: r.weights,
    timings: r.timings,
  };
}
