/**
 * A delivery through every model with the exact resolver, as the pipeline tests need it: load,
 * staging, the identity models, `resolveExact`, then the rest (entities, features, marts).
 */
import { featureVariables } from '../../engine/features/variables.js';
import { loadDelivery } from '../../engine/ingest/load.js';
import { silentLogger } from '../../engine/log.js';
import { installNormalizeMacros } from '../../engine/normalize/sql.js';
import { resolveExact } from '../../engine/resolve/exact.js';
import type { Db } from '../../engine/warehouse/db.js';
import { type Model, readModels, runModels, setVariables } from '../../engine/warehouse/pipeline.js';

const identityModels = new Set(['int_cod_senders', 'int_identity_records']);

/**
 * Loads the delivery folder `dir` into `db` and builds every model for tax year 2025 (`models`: as
 * they are, or with a bug planted); `adjust` may edit the resolver's clusters before the rest.
 */
export async function buildWithExactResolver(
  db: Db,
  dir: string,
  opts: { models?: Model[]; adjust?: (db: Db) => Promise<void> } = {},
): Promise<void> {
  const models = opts.models ?? readModels();
  const log = silentLogger();
  await installNormalizeMacros(db);
  await loadDelivery(db, dir, { runId: 'r', log });
  await runModels(db, (m) => m.layer === 'staging', log, models);
  await setVariables(db, featureVariables(2025));
  await runModels(db, (m) => identityModels.has(m.name), log, models);
  await resolveExact(db, { maxNamesPerValue: 3 });
  await opts.adjust?.(db);
  await runModels(db, (m) => m.layer !== 'staging' && !identityModels.has(m.name), log, models);
}
