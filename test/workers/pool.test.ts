import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClassification, toColumns } from '../../bench/lib/data.js';
import { compileForest, predictCompiled } from '../../engine/score/forest/compile.js';
import { serializeForest } from '../../engine/score/forest/model.js';
import { trainForest } from '../../engine/score/forest/train.js';
import {
  createScorePool,
  predictParallel,
  splitRange,
  trainForestParallel,
  type ScorePool,
} from '../../engine/workers/pool.js';

// Workers run the compiled JavaScript in dist/ (`npm test` builds it first).
describe('score pool', () => {
  const d = 12;
  const train = makeClassification({ rows: 3000, features: d, seed: 1, missingRate: 0.02 });
  const test = makeClassification({ rows: 20_001, features: d, seed: 2, missingRate: 0.02 });
  const opts = { trees: 12, maxDepth: 8, seed: 77 };
  const forest = trainForest(train.X, train.y, opts);
  const cf = compileForest(forest);
  let one: ScorePool;
  let two: ScorePool;

  beforeAll(() => {
    one = createScorePool({ threads: 1 });
    two = createScorePool({ threads: 2 });
  });
  afterAll(async () => {
    await one.destroy();
    await two.destroy();
  });

  it('predicts the same on 1 and 2 threads as in the main thread', async () => {
    const expected = Array.from(predictCompiled(cf, test.X));
    const [a, b] = await Promise.all([predictParallel(one, cf, test.X), predictParallel(two, cf, test.X)]);
    expect(Array.from(a)).toEqual(expected);
    expect(Array.from(b)).toEqual(expected);
  });

  it('predicts columnar input the same and leaves the caller matrix intact', async () => {
    const cols = toColumns(test.X, test.rows, d);
    const out = await predictParallel(two, cf, cols);
    expect(Array.from(out)).toEqual(Array.from(predictCompiled(cf, test.X)));
    expect(cols[0]!.length).toBe(test.rows);
    expect(test.X.length).toBe(test.rows * d);
  });

  it('trains the same forest on 1 and 2 threads as trainForest', async () => {
    const meta = {
      featureNames: Array.from({ length: d }, (_, i) => `f${i}`),
      dataHash: 'h',
      configHash: 'c',
      createdAt: 't',
    };
    const expected = serializeForest(forest, meta);
    const [a, b] = await Promise.all([
      trainForestParallel(one, train.X, train.y, opts),
      trainForestParallel(two, train.X, train.y, opts),
    ]);
    expect(serializeForest(a, meta)).toBe(expected);
    expect(serializeForest(b, meta)).toBe(expected);
  });

  it('rejects an unknown op with its name', async () => {
    await expect(two.run({ op: 'explain' } as never)).rejects.toThrow(/unknown worker op "explain"/);
  });

  it.each([
    {
      n: 10,
      parts: 3,
      expected: [
        [0, 3],
        [3, 6],
        [6, 10],
      ],
    },
    {
      n: 2,
      parts: 4,
      expected: [
        [0, 1],
        [1, 2],
      ],
    },
    { n: 0, parts: 2, expected: [] },
  ])('splitRange($n, $parts)', ({ n, parts, expected }) => {
    expect(splitRange(n, parts)).toEqual(expected);
  });
});
