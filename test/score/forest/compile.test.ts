import { describe, expect, it } from 'vitest';
import { makeClassification, toColumns } from '../../../bench/lib/data.js';
import { compileForest, predictCompiled, predictLeaves } from '../../../engine/score/forest/compile.js';
import { predictForest, trainForest } from '../../../engine/score/forest/train.js';

describe('compileForest / predictCompiled', () => {
  const d = 10;
  const train = makeClassification({ rows: 4000, features: d, seed: 1, missingRate: 0.05 });
  const test = makeClassification({ rows: 3001, features: d, seed: 2, missingRate: 0.05 });
  const forest = trainForest(train.X, train.y, { trees: 15, maxDepth: 9, seed: 4 });
  const cf = compileForest(forest);

  it('predicts exactly as the uncompiled (binned) forest, missing values included', () => {
    const compiled = predictCompiled(cf, test.X);
    const reference = predictForest(forest, test.X, test.rows);
    expect(Array.from(compiled)).toEqual(Array.from(reference));
  });

  it('gives the same scores from row-major and columnar input', () => {
    const rows = predictCompiled(cf, test.X);
    const cols = predictCompiled(cf, toColumns(test.X, test.rows, d));
    expect(Array.from(cols)).toEqual(Array.from(rows));
  });

  it('gives the same scores whatever the row chunking', () => {
    const whole = predictCompiled(cf, test.X);
    const a = predictCompiled(cf, test.X.subarray(0, 1000 * d));
    const b = predictCompiled(cf, test.X.subarray(1000 * d));
    expect(Array.from(a).concat(Array.from(b))).toEqual(Array.from(whole));
  });

  it('writes into a caller-provided output and checks its size', () => {
    const out = new Float64Array(test.rows);
    expect(predictCompiled(cf, test.X, out)).toBe(out);
    expect(() => predictCompiled(cf, test.X, new Float64Array(3))).toThrow(/slots/);
    expect(() => predictCompiled(cf, new Float64Array(d + 1))).toThrow(/multiple/);
  });

  it('lays all trees in flat arrays with absolute child indices', () => {
    const nodes = forest.trees.reduce((s, t) => s + t.feature.length, 0);
    expect(cf.feature.length).toBe(nodes);
    expect(cf.roots.length).toBe(15);
    for (let i = 0; i < nodes; i++) {
      if (cf.feature[i]! >= 0) {
        expect(cf.left[i]).toBeGreaterThan(i);
        expect(cf.right[i]).toBe(cf.left[i]! + 1);
      }
    }
  });

  it('reports leaves whose values average to the score', () => {
    const X = test.X.subarray(0, 5 * d);
    const leaves = predictLeaves(cf, X);
    const scores = predictCompiled(cf, X);
    for (let r = 0; r < 5; r++) {
      let sum = 0;
      for (let t = 0; t < cf.nTrees; t++) sum += cf.value[leaves[r * cf.nTrees + t]!]!;
      expect(sum / cf.nTrees).toBe(scores[r]);
    }
  });

  it.each([
    { x: 0.5, missingLeft: 0, expected: 1 },
    { x: 0.4, missingLeft: 0, expected: 0 },
    { x: NaN, missingLeft: 0, expected: 1 },
    { x: NaN, missingLeft: 1, expected: 0 },
    { x: Infinity, missingLeft: 1, expected: 1 },
    { x: -Infinity, missingLeft: 0, expected: 0 },
  ])('routes x=$x (missingLeft=$missingLeft) to leaf value $expected', ({ x, missingLeft, expected }) => {
    const stump = {
      nFeatures: 1,
      nTrees: 1,
      aggregate: 'mean' as const,
      feature: Int32Array.from([0, -1, -1]),
      threshold: Float64Array.from([0.4, 0, 0]),
      left: Int32Array.from([1, -1, -1]),
      right: Int32Array.from([2, -1, -1]),
      value: Float64Array.from([0, 0, 1]),
      missingLeft: Uint8Array.from([missingLeft, 0, 0]),
      roots: Int32Array.from([0]),
    };
    expect(predictCompiled(stump, Float64Array.from([x]))[0]).toBe(expected);
  });
});
