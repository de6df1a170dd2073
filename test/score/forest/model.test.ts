import { describe, expect, it } from 'vitest';
import { makeClassification } from '../../../bench/lib/data.js';
import { InputError } from '../../../engine/errors.js';
import { compileForest, predictCompiled } from '../../../engine/score/forest/compile.js';
import {
  deserializeForest,
  featureImportance,
  hashTrainingData,
  serializeForest,
} from '../../../engine/score/forest/model.js';
import { createRng } from '../../../engine/score/forest/random.js';
import { trainForest } from '../../../engine/score/forest/train.js';

const meta = {
  featureNames: ['a', 'b', 'c', 'd', 'e'],
  dataHash: 'sha256:abc',
  configHash: 'cfg1',
  createdAt: '2025-02-01T00:00:00Z',
};

describe('serializeForest / deserializeForest', () => {
  const data = makeClassification({ rows: 2000, features: 5, seed: 3, missingRate: 0.1 });
  const forest = trainForest(data.X, data.y, { trees: 8, maxDepth: 6, seed: 12 });
  forest.calibration = { method: 'platt', a: 4.2, b: -2.1 };

  it('round-trips to the same text and the same predictions', () => {
    const text = serializeForest(forest, meta);
    const back = deserializeForest(text);
    expect(serializeForest(back.forest, meta)).toBe(text);
    expect(Array.from(predictCompiled(compileForest(back.forest), data.X))).toEqual(
      Array.from(predictCompiled(compileForest(forest), data.X)),
    );
    expect(back.forest.calibration).toEqual(forest.calibration);
  });

  it('records the training metadata', () => {
    const { meta: m } = deserializeForest(serializeForest(forest, meta));
    expect(m).toMatchObject({ ...meta, rows: 2000, seed: 12 });
    expect(m.positives).toBe(data.y.reduce((s, v) => s + v, 0));
  });

  it('keeps infinite thresholds (present-vs-missing splits) through JSON', () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => (i % 2 ? NaN : i));
    const y = Uint8Array.from({ length: 200 }, (_, i) => i % 2);
    const f = trainForest([x], y, { trees: 1, maxDepth: 1, seed: 1, bootstrap: false });
    expect(f.trees[0]!.threshold[0]).toBe(Infinity);
    const back = deserializeForest(serializeForest(f, { ...meta, featureNames: ['x'] })).forest;
    expect(back.trees[0]!.threshold[0]).toBe(Infinity);
  });

  it.each([
    { text: 'not json', message: /not valid JSON/ },
    { text: '{"format":"other"}', message: /not a sangloc forest model/ },
    { text: '{"format":"sangloc-forest","version":99}', message: /version 99/ },
  ])('rejects $text with a clear message', ({ text, message }) => {
    expect(() => deserializeForest(text, 'models/m.json')).toThrow(InputError);
    expect(() => deserializeForest(text, 'models/m.json')).toThrow(message);
  });

  it('rejects a tree whose child points outside it', () => {
    const doc = JSON.parse(serializeForest(forest, meta));
    doc.trees[0].left[0] = 10_000;
    expect(() => deserializeForest(JSON.stringify(doc))).toThrow(/outside the tree/);
  });
});

describe('featureImportance', () => {
  it('ranks the only informative feature first and sums to 1', () => {
    const rng = createRng(2);
    const n = 2000;
    const cols = [0, 1, 2].map(() => new Float64Array(n));
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (const c of cols) c[i] = rng.nextFloat();
      y[i] = cols[1]![i]! > 0.6 ? 1 : 0;
    }
    const imp = featureImportance(trainForest(cols, y, { trees: 10, maxDepth: 5, seed: 1 }));
    expect(imp[1]).toBeGreaterThan(0.8);
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('hashTrainingData', () => {
  it('changes with any value and is stable otherwise', () => {
    const X = Float64Array.from([1, 2, 3, 4]);
    const y = Uint8Array.from([0, 1]);
    const h = hashTrainingData(X, y);
    expect(hashTrainingData(Float64Array.from([1, 2, 3, 4]), Uint8Array.from([0, 1]))).toBe(h);
    expect(hashTrainingData(Float64Array.from([1, 2, 3, 5]), y)).not.toBe(h);
    expect(hashTrainingData(X, Uint8Array.from([1, 1]))).not.toBe(h);
    expect(hashTrainingData(X, y, Float64Array.from([1, 2]))).not.toBe(h);
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
