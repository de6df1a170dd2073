import type { FeatureBatch } from '../score/types.js';
import type { Db } from '../warehouse/db.js';

/** The scorer's input read from the marts: features as typed columns plus who each entity is. */
export interface EntityBatch {
  batch: FeatureBatch;
  ids: string[];
  provinces: (string | null)[];
  /** Entities with an audit outcome for the tax year (left out of the list, used as labels). */
  audited: Set<string>;
  labels: { entityId: string; undeclared: number; random: number }[];
}

/**
 * Reads `mart_entity_features` (numeric columns straight into Float64Arrays, in entity id order),
 * the entities' provinces and the audit outcomes of the tax year.
 *
 * @example const { batch, ids } = await readEntityBatch(db);
 */
export async function readEntityBatch(db: Db): Promise<EntityBatch> {
  const meta = await db.all<{ entity_id: string; activity_group: string; province: string | null }>(
    `select f.entity_id, f.activity_group, p.province
     from mart_entity_features f left join mart_entity_profile p using (entity_id) order by f.entity_id`,
  );
  // the registered taxpayer each entity may be: "tax code (evidence kinds)", cited by POSSIBLY_REGISTERED
  const candidates = new Map(
    (
      await db.all<{ entity_id: string; candidate_tax_id: string | null; evidence: string }>(
        `select entity_id, candidate_tax_id, evidence from mart_registry_candidates`,
      )
    ).map((r) => [r.entity_id, `${r.candidate_tax_id ?? '?'} (${r.evidence.replaceAll(',', ', ')})`]),
  );
  // the dictionary words each entity's texts hold (mart_entity_activity.sql), cited by the estimated rate
  // the registry group of that possible twin: evidence of the activity (engine/score/activity.ts)
  const candidateGroups = new Map(
    (
      await db.all<{ entity_id: string; activity_group: string | null }>(
        `select rc.entity_id, f.activity_group from mart_registry_candidates rc
         join mart_entity_features f on f.entity_id = rc.candidate_id where f.activity_group is not null`,
      )
    ).map((r) => [r.entity_id, r.activity_group]),
  );
  // (a warehouse built before the activity mart has none: no words)
  const terms = new Map(
    (await db.tableExists('mart_entity_activity'))
      ? (
          await db.all<{ entity_id: string; activity_terms: string }>(
            `select entity_id, activity_terms from mart_entity_activity where activity_terms is not null`,
          )
        ).map((r) => [r.entity_id, r.activity_terms])
      : [],
  );
  const numeric = await db.numericColumns(
    `select * exclude (entity_id, activity_group) from mart_entity_features order by entity_id`,
  );
  const cols: Record<string, Float64Array> = {};
  numeric.names.forEach((name, k) => (cols[name] = numeric.columns[k]!));
  const labels = (
    await db.all<{ entity_id: string; undeclared: number; random_selection: number }>(
      `select entity_id, undeclared, random_selection from mart_entity_outcomes where tax_year = ` +
        `getvariable('tax_year') order by entity_id`,
    )
  ).map((r) => ({ entityId: r.entity_id, undeclared: r.undeclared, random: r.random_selection }));
  return {
    batch: {
      n: meta.length,
      cols,
      activityGroup: meta.map((m) => m.activity_group),
      text: {
        registry_candidate: meta.map((m) => candidates.get(m.entity_id) ?? null),
        activity_terms: meta.map((m) => terms.get(m.entity_id) ?? null),
        candidate_activity_group: meta.map((m) => candidateGroups.get(m.entity_id) ?? null),
      },
    },
    ids: meta.map((m) => m.entity_id),
    provinces: meta.map((m) => m.province),
    audited: new Set(labels.map((l) => l.entityId)),
    labels,
  };
}

export interface Profile {
  name: string | null;
  tax_ids: string | null;
  national_ids: string | null;
  phones: string | null;
  emails: string | null;
  accounts: string | null;
  domains: string | null;
  shops: string | null;
  sources: string | null;
  province: string | null;
}

/** Who each entity is (`mart_entity_profile`), by entity id. */
export async function readProfiles(db: Db): Promise<Map<string, Profile>> {
  const rows = await db.all<Profile & { entity_id: string }>(`select * from mart_entity_profile`);
  return new Map(rows.map((r) => [r.entity_id, r]));
}
