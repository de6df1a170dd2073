import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
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

/**
 * Saves a model (its text, then its card) under WS/models; the id is derived from the data and
 * config. Each file is written to a temp name, flushed and renamed into place, and the card goes
 * last: a process killed at any point leaves either no card (the model is not listed) or a
 * complete model and card, never a torn file that a later run would read.
 *
 * @example saveModel(ws, card, serializeForest(forest, meta)) // '/…/models/forest-2025-ab12….json'
 */
export function saveModel(ws: Workspace, card: ModelCard, modelText: string): string {
  sweepModelTemps(ws);
  const file = join(ws.modelsDir, `${card.model_id}.json`);
  writeAtomic(file, modelText);
  writeAtomic(join(ws.modelsDir, `${card.model_id}.card.json`), JSON.stringify(card, null, 2) + '\n');
  return file;
}

/** Writes a file under a temp name (same folder), fsyncs it and renames it over `file`. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}${TEMP_MARK}${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

const TEMP_MARK = '.tmp-';

/** Removes temp files a killed `train` or run left in WS/models. */
function sweepModelTemps(ws: Workspace): void {
  for (const f of readdirSync(ws.modelsDir)) if (f.includes(TEMP_MARK)) rmSync(join(ws.modelsDir, f), { force: true });
}

/**
 * Every complete model card in the workspace, newest first. A card that does not parse, lacks its
 * fields or whose model file is missing (a model written by an older version killed mid-way) is
 * left out, so it never breaks a run or `sangloc models`.
 */
export function listModels(ws: Workspace): ModelCard[] {
  if (!existsSync(ws.modelsDir)) return [];
  const cards: ModelCard[] = [];
  for (const f of readdirSync(ws.modelsDir)) {
    if (!f.endsWith('.card.json') || f.includes(TEMP_MARK)) continue;
    try {
      const card = JSON.parse(readFileSync(join(ws.modelsDir, f), 'utf8')) as ModelCard;
      if (
        typeof card?.model_id !== 'string' ||
        typeof card.created_at !== 'string' ||
        `${card.model_id}.card.json` !== f
      )
        continue;
      if (!existsSync(join(ws.modelsDir, `${card.model_id}.json`))) continue;
      cards.push(card);
    } catch {
      /* incomplete: left out */
    }
  }
  return cards.sort((a, b) =>
    a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.model_id < b.model_id ? -1 : 1,
  );
}
