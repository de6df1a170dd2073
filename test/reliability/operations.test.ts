/**
 * Issue 13, operations (engine level): models written atomically and incomplete ones ignored
 * (item 13), runs ordered by a sequence number, not time (item 14), outcome imports archived
 * under unique owner-only names (item 15).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../engine/config/index.js';
import { silentLogger } from '../../engine/log.js';
import { importOutcomes } from '../../engine/outcomes/import.js';
import { listRunIds, nextRunSeq, previousRunDir } from '../../engine/publish/run-ref.js';
import { listModels, saveModel, type ModelCard } from '../../engine/warehouse/models.js';
import { openWorkspace } from '../../engine/warehouse/workspace.js';
import { tempDir, withDb } from '../helpers.js';
import { outcomesCsv } from '../cli/outcome-fixtures.js';

const card = (id: string, createdAt: string): ModelCard => ({
  model_id: id,
  created_at: createdAt,
  tax_year: 2025,
  data_hash: 'sha256:x',
  config_hash: 'c',
  labels: 40,
  positives: 20,
  random_labels: 40,
  cv_auc: 0.8,
  cv_precision_at_tenth: 0.5,
  feature_importance: [],
});

describe('item 13: models are written atomically; an incomplete one never breaks a run', () => {
  it('saveModel leaves the model and its card, no temp file', () => {
    const ws = openWorkspace(join(tempDir(), 'ws'));
    saveModel(ws, card('forest-2025-aaa', '2026-11-01T00:00:00Z'), '{"trees":[]}');
    expect(readdirSync(ws.modelsDir).sort()).toEqual(['forest-2025-aaa.card.json', 'forest-2025-aaa.json']);
    expect(statSync(join(ws.modelsDir, 'forest-2025-aaa.card.json')).mode & 0o777).toBe(0o600);
  });

  it.each([
    {
      left: 'a torn card (killed mid-write by an older version)',
      files: { 'forest-2025-bbb.json': '{"trees":[]}', 'forest-2025-bbb.card.json': '{"model_id": "forest-20' },
    },
    {
      left: 'a card whose model file is missing',
      files: { 'forest-2025-ccc.card.json': JSON.stringify(card('forest-2025-ccc', '2026-11-03T00:00:00Z')) },
    },
    { left: 'an empty card', files: { 'forest-2025-ddd.json': '{}', 'forest-2025-ddd.card.json': '' } },
    {
      left: 'temp files of a killed save',
      files: { 'forest-2025-eee.json.tmp-123': '{"tr', 'forest-2025-eee.card.json.tmp-123': '{' },
    },
  ])('$left: listed out, the complete model still listed; the next save sweeps temp files', ({ files }) => {
    const ws = openWorkspace(join(tempDir(), 'ws'));
    saveModel(ws, card('forest-2025-aaa', '2026-11-01T00:00:00Z'), '{"trees":[]}');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(ws.modelsDir, name), text);
    expect(listModels(ws).map((c) => c.model_id)).toEqual(['forest-2025-aaa']);
    saveModel(ws, card('forest-2025-fff', '2026-11-02T00:00:00Z'), '{"trees":[]}');
    expect(readdirSync(ws.modelsDir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(listModels(ws).map((c) => c.model_id)).toEqual(['forest-2025-fff', 'forest-2025-aaa']);
  });
});

describe('item 14: runs are ordered by their sequence number, not their clock', () => {
  /** A published run folder with the given id and (optional) seq. */
  function publish(wsRoot: string, id: string, seq?: number) {
    const dir = join(wsRoot, 'runs', id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cases.json'), '[]');
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ run_id: id, ...(seq === undefined ? {} : { seq }) }));
  }

  it('after the clock stepped back, the previous run is the one published before, not the one with the earlier time', () => {
    const root = join(tempDir(), 'ws');
    const ws = openWorkspace(root);
    // Published in this order; the clock was 73 years ahead for the second (a restored VM), then fixed.
    publish(root, '20261201-010000-aaaaaa', 1);
    publish(root, '20991201-010000-bbbbbb', 2);
    publish(root, '20261203-010000-cccccc', 3);
    expect(listRunIds(ws)).toEqual(['20261201-010000-aaaaaa', '20991201-010000-bbbbbb', '20261203-010000-cccccc']);
    expect(previousRunDir(ws, '20261203-010000-cccccc')).toBe(join(ws.runsDir, '20991201-010000-bbbbbb'));
    expect(previousRunDir(ws, '20991201-010000-bbbbbb')).toBe(join(ws.runsDir, '20261201-010000-aaaaaa'));
    // A run being published now (not listed yet) follows every published run, whatever its id says.
    expect(previousRunDir(ws, '20261202-000000-dddddd')).toBe(join(ws.runsDir, '20261203-010000-cccccc'));
    expect(nextRunSeq(ws)).toBe(4);
  });

  it('runs of older versions (no seq) come first, by id', () => {
    const root = join(tempDir(), 'ws');
    const ws = openWorkspace(root);
    publish(root, '20261130-010000-bbbbbb');
    publish(root, '20261129-010000-aaaaaa');
    publish(root, '20261101-010000-cccccc', 1);
    expect(listRunIds(ws)).toEqual(['20261129-010000-aaaaaa', '20261130-010000-bbbbbb', '20261101-010000-cccccc']);
    expect(nextRunSeq(ws)).toBe(2);
  });
});

describe('item 15: outcome imports are archived under unique, owner-only names', () => {
  it('two imports in the same second keep two copies, each 0600 although the source is 0666', async () => {
    const root = tempDir();
    const ws = openWorkspace(join(root, 'ws'));
    const at = new Date('2026-11-23T10:00:00Z');
    const files = ['a', 'b'].map((folder, k) => {
      const file = join(root, folder, 'audits.csv');
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, outcomesCsv(4 + k));
      chmodSync(file, 0o666);
      return file;
    });
    await withDb(async (db) => {
      const first = await importOutcomes(db, ws, files[0]!, { config: defaultConfig, log: silentLogger(), at });
      const second = await importOutcomes(db, ws, files[1]!, { config: defaultConfig, log: silentLogger(), at });
      expect(first.archived).not.toBe(second.archived);
      expect(first.importId).not.toBe(second.importId);
      for (const a of [first.archived, second.archived]) {
        expect(existsSync(a)).toBe(true);
        expect(statSync(a).mode & 0o777).toBe(0o600);
      }
      expect(readdirSync(join(ws.root, 'outcomes'))).toHaveLength(2);
    });
  });
});
