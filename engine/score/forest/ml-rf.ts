/**
 * Imports a classifier trained by `ml-random-forest` (its `toJSON()` output) into a
 * {@link CompiledForest}, so the fast predictor reproduces its predictions exactly.
 *
 * The ml-random-forest format, as read from its sources (ml-random-forest 2.1, ml-cart 2.1):
 * - `{ name: 'RFClassifier', baseModel: { indexes, estimators, … } }`; tree i was trained on the
 *   feature columns `indexes[i]` (drawn with replacement), so its `splitColumn` c means feature
 *   `indexes[i][c]`.
 * - each estimator is `{ name: 'DTClassifier', options, root }`; a node with both `left` and
 *   `right` is a split: a row goes left when `row[splitColumn] < splitValue` (strict; NaN goes
 *   right). Any other node is a leaf whose `distribution` (a 1 × classes matrix, or `[[…]]` once
 *   through JSON) gives the tree's label as the first index of its largest entry.
 * - the forest's label is the mode of the trees' labels (`ml-array-mode`): on a tie, the label
 *   that first reached the top count in tree order.
 */
import { emptyCompiled } from './compile.js';
import type { CompiledForest } from './types.js';

interface MlNode {
  splitValue?: number;
  splitColumn?: number;
  left?: MlNode;
  right?: MlNode;
  distribution?: unknown;
}

interface MlModel {
  name?: string;
  baseModel?: { indexes?: number[][]; estimators?: { name?: string; root?: MlNode }[]; isClassifier?: boolean };
}

/** Largest double strictly below x: `v < x` is the same test as `v <= nextDown(x)` for every v. */
export function nextDown(x: number): number {
  if (x !== x || x === -Infinity) return x;
  if (x === Infinity) return Number.MAX_VALUE;
  if (x === 0) return -Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  buf.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return buf.getFloat64(0);
}

/** Class label of an ml-cart leaf: first index of the largest probability. */
function leafLabel(distribution: unknown): number {
  let row: ArrayLike<number>;
  const d = distribution as { to2DArray?: () => number[][] } | number[] | number[][];
  if (d && typeof (d as { to2DArray?: unknown }).to2DArray === 'function')
    row = (d as { to2DArray: () => number[][] }).to2DArray()[0]!;
  else if (Array.isArray(d) && Array.isArray(d[0])) row = d[0] as number[];
  else if (Array.isArray(d)) row = d as number[];
  else throw new RangeError('ml-random-forest leaf without a class distribution (is this a regression model?)');
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/**
 * Converts an ml-random-forest classifier (`rf.toJSON()`, live or through JSON.stringify/parse)
 * into a compiled forest with `aggregate: 'vote'`, whose {@link predictCompiled} output equals
 * `rf.predict(rows)`. With `aggregate: 'mean'` it gives instead each row's share of trees voting
 * for class 1 (what ml-random-forest's `predictProbability(rows, 1)` means to return; 2.1.0's
 * seeds its sum with the first tree's label, so it is off by that much).
 *
 * @example
 * const rf = new RandomForestClassifier({ nEstimators: 25, seed: 3 });
 * rf.train(rows, labels);
 * const cf = importMlRandomForest(rf.toJSON(), { nFeatures: rows[0].length });
 * predictCompiled(cf, Float64Array.from(rows.flat())); // same labels as rf.predict(rows)
 */
export function importMlRandomForest(
  model: unknown,
  opts: { nFeatures?: number; aggregate?: 'vote' | 'mean' } = {},
): CompiledForest {
  const m = model as MlModel;
  const base = m?.baseModel;
  if (m?.name !== 'RFClassifier' || !base?.estimators || !base.indexes) {
    throw new RangeError(`not an ml-random-forest classifier model (name ${String(m?.name)})`);
  }
  const { estimators, indexes } = base;
  const nFeatures = opts.nFeatures ?? Math.max(0, ...indexes.flat()) + 1;
  // Count nodes first so the arrays are allocated once.
  const countNodes = (node: MlNode): number =>
    node.left && node.right ? 1 + countNodes(node.left) + countNodes(node.right) : 1;
  let total = 0;
  for (const est of estimators) {
    if (!est.root) throw new RangeError('ml-random-forest estimator without a root');
    total += countNodes(est.root);
  }
  const cf = emptyCompiled(nFeatures, estimators.length, total, opts.aggregate ?? 'vote');
  let next = 0;
  estimators.forEach((est, t) => {
    const used = indexes[t]!;
    const root = next++;
    cf.roots[t] = root;
    // Explicit stack: ml-cart trees are unbounded in depth by default.
    const stack: [MlNode, number][] = [[est.root!, root]];
    while (stack.length > 0) {
      const [node, id] = stack.pop()!;
      if (node.left && node.right) {
        const feature = used[node.splitColumn!];
        if (feature === undefined || feature >= nFeatures)
          throw new RangeError(
            `ml-random-forest split on column ${node.splitColumn} outside the ${nFeatures} features`,
          );
        cf.feature[id] = feature;
        cf.threshold[id] = nextDown(node.splitValue!);
        cf.missingLeft[id] = 0;
        const l = next++;
        const r = next++;
        cf.left[id] = l;
        cf.right[id] = r;
        stack.push([node.right, r], [node.left, l]);
      } else {
        cf.feature[id] = -1;
        cf.left[id] = -1;
        cf.right[id] = -1;
        cf.value[id] = leafLabel(node.distribution);
      }
    }
  });
  return cf;
}
