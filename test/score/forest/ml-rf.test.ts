import { describe, expect, it } from 'vitest';
import { RandomForestClassifier } from 'ml-random-forest';
import { makeClassification } from '../../../bench/lib/data.js';
import { predictCompiled } from '../../../engine/score/forest/compile.js';
import { importMlRandomForest, nextDown } from '../../../engine/score/forest/ml-rf.js';

const toRows = (X: Float64Array, n: number, d: number) =>
  Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d)));

describe('nextDown', () => {
  it.each([
    { x: 1, below: 0.9999999999999999 },
    { x: 0, below: -5e-324 },
    { x: -1, below: -1.0000000000000002 },
    { x: Infinity, below: Number.MAX_VALUE },
  ])('largest double below $x', ({ x, below }) => {
    expect(nextDown(x)).toBe(below);
    expect(nextDown(x) < x).toBe(true);
  });
});

describe('importMlRandomForest', () => {
  const d = 6;
  const train = makeClassification({ rows: 160, features: d, seed: 5 });
  const test = makeClassification({ rows: 3000, features: d, seed: 6 });
  const rows = toRows(test.X, test.rows, d);
  // An even tree count makes vote ties possible, exercising ml-random-forest's tie rule.
  const rf = new RandomForestClassifier({ nEstimators: 16, seed: 7, maxFeatures: 0.5, treeOptions: { maxDepth: 7 } });
  rf.train(toRows(train.X, train.rows, d), Array.from(train.y));
  const expected = rf.predict(rows);

  it.each([
    { form: 'live toJSON()', model: () => rf.toJSON() },
    { form: 'through JSON text', model: () => JSON.parse(JSON.stringify(rf.toJSON())) as unknown },
  ])('predicts identically to ml-random-forest from its $form', ({ model }) => {
    const cf = importMlRandomForest(model(), { nFeatures: d });
    const ours = Array.from(predictCompiled(cf, test.X));
    expect(ours).toEqual(expected);
    expect(new Set(ours).size).toBe(2);
  });

  it('also predicts identically on training rows, where thresholds sit between seen values', () => {
    const cf = importMlRandomForest(rf.toJSON(), { nFeatures: d });
    expect(Array.from(predictCompiled(cf, train.X))).toEqual(rf.predict(toRows(train.X, train.rows, d)));
  });

  it('gives the share of trees voting 1 in mean mode', () => {
    const cf = importMlRandomForest(rf.toJSON(), { nFeatures: d, aggregate: 'mean' });
    const share = predictCompiled(cf, test.X.subarray(0, 200 * d));
    // Per-tree labels straight from ml-random-forest (its predictProbability seeds its sum with
    // the first tree's label, so it is not the vote share).
    const perTree = rf.predictionValues(rows.slice(0, 200));
    share.forEach((s, i) => {
      const votes = perTree.getRow(i);
      expect(s).toBe(votes.filter((v) => v === 1).length / votes.length);
    });
  });

  it('refuses a model that is not an ml-random-forest classifier', () => {
    expect(() => importMlRandomForest({ name: 'RFRegression', baseModel: {} })).toThrow(
      /not an ml-random-forest classifier/,
    );
  });
});
