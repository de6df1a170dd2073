/**
 * Retraining the forest outside a run: on every audit outcome of the tax year now in the warehouse
 * (delivered ones and imported ones), over the features the last run built. The model is saved in
 * WS/models like the one a run trains, with its card (labels, cross-validated AUC and precision,
 * feature importance).
 */
import { configHash, rulesForYear, type Config } from '../config/index.js';
import { WorkspaceError } from '../errors.js';
import { readEntityBatch, type EntityBatch } from '../features/read.js';
import type { Logger } from '../log.js';
import { installNormalizeMacros } from '../normalize/sql.js';
import { serializeForest } from '../score/forest/index.js';
import { modelFeatureNames, modelMatrix } from '../score/model-features.js';
import { scoreEntities } from '../score/score.js';
import { defaultSupervisedOptions, fitSupervised, type Fitted, type LabelledRows } from '../score/supervised.js';
import type { Db } from '../warehouse/db.js';
import { saveModel, type ModelCard } from '../warehouse/models.js';
import { runModels, setVariables } from '../warehouse/pipeline.js';
import type { Workspace } from '../warehouse/workspace.js';
import { fmt } from '../format.js';

/**
 * The labelled rows of a batch: entities with an outcome, 1 = undeclared, and whether the audit was random.
 *
 * @example labelledRows(batch).rows.length // number of audited entities
 */
export function labelledRows(batch: EntityBatch): LabelledRows {
  const index = new Map(batch.ids.map((id, i) => [id, i]));
  const known = batch.labels.filter((l) => index.has(l.entityId));
  return {
    rows: Int32Array.from(known, (l) => index.get(l.entityId)!),
    y: Uint8Array.from(known, (l) => (l.undeclared ? 1 : 0)),
    random: Uint8Array.from(known, (l) => (l.random ? 1 : 0)),
  };
}

/** The id a model gets from its tax year and training data (same data ⇒ same id). */
export const modelIdFor = (taxYear: number, dataHash: string) =>
  `forest-${taxYear}-${dataHash.replace(/^sha256:/, '').slice(0, 12)}`;

/**
 * The card saved beside a trained model.
 *
 * @example modelCard(fit, { taxYear: 2025, config, createdAt: new Date().toISOString() }).cv_auc
 */
export function modelCard(
  fit: Extract<Fitted, { status: 'trained' }>,
  opts: { taxYear: number; config: Config; createdAt: string },
): ModelCard {
  return {
    model_id: modelIdFor(opts.taxYear, fit.dataHash),
    created_at: opts.createdAt,
    tax_year: opts.taxYear,
    data_hash: fit.dataHash,
    config_hash: configHash(opts.config),
    labels: fit.metrics.labels,
    positives: fit.metrics.positives,
    random_labels: fit.metrics.randomLabels,
    cv_auc: fit.metrics.cvAuc,
    cv_precision_at_tenth: fit.metrics.cvPrecisionAtTenth,
    feature_importance: modelFeatureNames
      .map((feature, k) => ({ feature, importance: Math.round(fit.importance[k]! * 1e4) / 1e4 }))
      .sort((a, b) => b.importance - a.importance),
  };
}

export type TrainResult =
  | { status: 'trained'; card: ModelCard; file: string }
  | { status: 'skipped'; taxYear: number; reason: string; labels: number; positives: number };

/**
 * Refreshes the outcome tables, fits the forest on every outcome of the tax year the warehouse's
 * features are for, and saves it. The caller holds the workspace lock.
 *
 * @example const r = await trainOnOutcomes(db, ws, { config, log }); if (r.status === 'trained') r.card.cv_auc;
 */
export async function trainOnOutcomes(
  db: Db,
  ws: Workspace,
  opts: { config: Config; log: Logger; taxYear?: number; now?: Date },
): Promise<TrainResult> {
  const { config } = opts;
  if (!(await db.tableExists('mart_entity_features'))) {
    throw new WorkspaceError(
      `${ws.root} has no features yet; run \`sangloc run --input DIR --workspace ${ws.root}\` first`,
    );
  }
  const built = await db.value<number | null>(`select max(tax_year) from mart_entity_features`);
  if (built === null) throw new WorkspaceError(`${ws.root}: the features table is empty; run a batch first`);
  const taxYear = opts.taxYear ?? built;
  if (taxYear !== built) {
    throw new WorkspaceError(
      `the warehouse holds features for tax year ${built}; run \`sangloc run --tax-year ${taxYear}\` first, then train`,
    );
  }
  await installNormalizeMacros(db);
  await setVariables(db, { tax_year: taxYear });
  await runModels(
    db,
    (m) => ['stg_outcomes', 'int_outcome_entities', 'mart_entity_outcomes'].includes(m.name),
    opts.log,
  );
  const batch = await readEntityBatch(db);
  const scored = scoreEntities(batch.batch, {
    rules: rulesForYear(taxYear, config.taxRules),
    lang: config.output.language,
    provinces: batch.provinces,
  });
  const X = modelMatrix(batch.batch, scored);
  const fit = fitSupervised(X, modelFeatureNames.length, labelledRows(batch), {
    ...defaultSupervisedOptions,
    seed: config.seed,
  });
  if (fit.status === 'skipped')
    return { status: 'skipped', taxYear, reason: fit.reason, labels: fit.labels, positives: fit.positives };
  const createdAt = (opts.now ?? new Date()).toISOString();
  const card = modelCard(fit, { taxYear, config, createdAt });
  const text = serializeForest(fit.forest, {
    featureNames: [...modelFeatureNames],
    dataHash: fit.dataHash,
    configHash: card.config_hash,
    createdAt,
  });
  const file = saveModel(ws, card, text);
  return { status: 'trained', card, file };
}

/**
 * The metrics a retrain prints.
 *
 * @example process.stdout.write(formatTrainResult(r));
 */
export function formatTrainResult(r: TrainResult): string {
  if (r.status === 'skipped') {
    return (
      `sangloc: no model trained for tax year ${r.taxYear}: ${r.reason}. Import more outcomes (sangloc ` +
      `outcomes import FILE) and train again.\n`
    );
  }
  const c = r.card;
  const top = c.feature_importance
    .slice(0, 5)
    .map((f) => `${f.feature} ${fmt().dec(f.importance, 3)}`)
    .join(', ');
  return [
    `sangloc: model ${c.model_id} trained for tax year ${c.tax_year}`,
    `  labels: ${fmt().int(c.labels)} audit outcomes (${fmt().int(c.positives)} undeclared, ` +
      `${fmt().int(c.labels - c.positives)} compliant; ${fmt().int(c.random_labels)} from random audits, weighted up)`,
    `  cross-validated AUC: ${fmt().dec(c.cv_auc, 3)}`,
    `  cross-validated precision in the top 10 %: ${fmt().dec(c.cv_precision_at_tenth, 3)}`,
    `  most important features: ${top}`,
    `  saved: ${r.file}`,
    '',
  ].join('\n');
}

/**
 * The model list `sangloc models` prints; `usedBy` maps model id → run ids that used it.
 *
 * @example process.stdout.write(formatModelList(listModels(ws), new Map()));
 */
export function formatModelList(
  cards: readonly ModelCard[],
  usedBy: ReadonlyMap<string, string[]> = new Map(),
): string {
  if (cards.length === 0)
    return (
      'sangloc: no models yet (a run trains one when enough audit outcomes link to sellers; see `sangloc ' + 'train`)\n'
    );
  const header = [
    'model_id',
    'created_at',
    'tax_year',
    'labels',
    'undeclared',
    'random',
    'cv_auc',
    'cv_prec@10%',
    'runs',
  ];
  const rows = cards.map((c) => [
    c.model_id,
    fmt().time(c.created_at),
    String(c.tax_year),
    fmt().int(c.labels),
    fmt().int(c.positives),
    fmt().int(c.random_labels),
    fmt().dec(c.cv_auc, 3),
    fmt().dec(c.cv_precision_at_tenth, 3),
    String(usedBy.get(c.model_id)?.length ?? 0),
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  return (
    [header, ...rows]
      .map((r) =>
        r
          .map((v, k) => v.padEnd(widths[k]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
