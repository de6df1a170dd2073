import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from './workspace.js';

/** What is stored beside each trained model (WS/models/<model_id>.json holds the forest itself). */
export interface ModelCard {
  model_id: string;
  created_at: string;
  tax_year: number;
  data_hash: string;
  config_hash: string;
  labels: number;
  positives: number;
  random_labels: number;
  cv_auc: number;
  cv_precision_at_tenth: number;
  feature_importance: { feature: string; importance: number }[];
}

/** Saves a model (its text and its card) under WS/models; the id is derived from the data and config. */
export function saveModel(ws: Workspace, card: ModelCard, modelText: string): string {
  const file = join(ws.modelsDir, `${card.model_id}.json`);
  writeFileSync(file, modelText, { mode: 0o600 });
  writeFileSync(join(ws.modelsDir, `${card.model_id}.card.json`), JSON.stringify(card, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/** Every model card in the workspace, newest first. */
export function listModels(ws: Workspace): ModelCard[] {
  if (!existsSync(ws.modelsDir)) return [];
  return readdirSync(ws.modelsDir)
    .filter((f) => f.endsWith('.card.json'))
    .map((f) => JSON.parse(readFileSync(join(ws.modelsDir, f), 'utf8')) as ModelCard)
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.model_id < b.model_id ? -1 : 1));
}
