/**
 * The worker entry: one default function that dispatches on `task.op` to the pure scoring core.
 * It holds no state between tasks; inputs arrive as transferred typed arrays and large results
 * go back with `move()` so they are transferred, not copied.
 */
import { move } from 'piscina';
import { predictCompiled } from '../score/forest/compile.js';
import { trainTree } from '../score/forest/train.js';
import type { BinnedMatrix, CompiledForest, FeatureMatrix, ForestTree, TrainOptions } from '../score/forest/types.js';

/** Score rows [start, start + rows) of the caller's matrix; `X` holds just those rows. */
export interface PredictTask {
  op: 'predict';
  cf: CompiledForest;
  X: FeatureMatrix;
}

/** Train trees [from, to) of a forest on binned data (same trees as a single-threaded loop). */
export interface TrainTreesTask {
  op: 'trainTrees';
  binned: BinnedMatrix;
  y: Uint8Array;
  sampleWeight: Float64Array | null;
  options: TrainOptions;
  from: number;
  to: number;
}

export type ScoreTask = PredictTask | TrainTreesTask;

export default function runTask(task: ScoreTask): unknown {
  switch (task.op) {
    case 'predict':
      return move(predictCompiled(task.cf, task.X));
    case 'trainTrees': {
      const trees: ForestTree[] = [];
      for (let t = task.from; t < task.to; t++)
        trees.push(trainTree(task.binned, task.y, task.sampleWeight, task.options, t));
      return trees;
    }
    default:
      throw new Error(`unknown worker op ${JSON.stringify((task as { op?: unknown }).op)}`);
  }
}
