/**
 * Clustering of scored links into entities, over typed arrays (no DuckDB): connected components
 * by union–find, with guards against the classic over-merges of record linkage:
 *  (a) weak links alone never merge: an edge must be strong, or corroborated by enough
 *      independent identifiers agreeing exactly (capped hub values do not count);
 *  (b) high-degree identifier values are capped upstream, in the weights (degree guard);
 *  (c) a bridge (an edge whose removal splits a cluster in two sides of ≥ `bridgeMinSide`
 *      records each) must also pass a stricter threshold, or it is cut.
 * Deterministic: edges are taken by weight desc, then ids; a cluster's id is its smallest record id.
 */

export const EDGE_KEPT = 0;
export const EDGE_WEAK = 1;
export const EDGE_BRIDGE = 2;

export interface LinkEdges {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  weight: ArrayLike<number>;
  /** Identifier comparisons agreeing exactly on the pair (after degree caps). */
  sharedIdentifiers: ArrayLike<number>;
}

export interface ClusterGuards {
  strongWeight: number;
  minSharedIdentifiers: number;
  bridgeMinSide: number;
  bridgeWeight: number;
}

export interface ClusterResult {
  /** Per record: smallest record id of its cluster. */
  cluster: Int32Array;
  /** Per edge (input order): EDGE_KEPT, EDGE_WEAK or EDGE_BRIDGE. */
  status: Uint8Array;
  bridgesCut: number;
  clusters: number;
}

/** Edge indices sorted by weight desc, then a, then b. */
export function edgeOrder(edges: LinkEdges): Int32Array {
  const n = edges.a.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx.sort((x, y) => edges.weight[y]! - edges.weight[x]! || edges.a[x]! - edges.a[y]! || edges.b[x]! - edges.b[y]!);
}

/**
 * Clusters `n` records (ids 0..n−1) linked by `edges` (all already above the match threshold).
 *
 * @example
 *   const { cluster } = clusterRecords(3, { a: [0], b: [1], weight: [20], sharedIdentifiers: [1] },
 *     { strongWeight: 10, minSharedIdentifiers: 2, bridgeMinSide: 3, bridgeWeight: 15 });
 *   // cluster = [0, 0, 2]
 */
export function clusterRecords(n: number, edges: LinkEdges, guards: ClusterGuards): ClusterResult {
  const m = edges.a.length;
  const status = new Uint8Array(m);
  const order = edgeOrder(edges);
  // (a) weak-link guard.
  const eligible: number[] = [];
  for (const e of order) {
    if (edges.weight[e]! >= guards.strongWeight || edges.sharedIdentifiers[e]! >= guards.minSharedIdentifiers) eligible.push(e);
    else status[e] = EDGE_WEAK;
  }
  // (c) bridges of the eligible graph.
  const bridgesCut = cutWeakBridges(n, edges, eligible, guards, status);
  // Components by union–find; the root is always the smallest id.
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const e of eligible) {
    if (status[e] !== EDGE_KEPT) continue;
    const ra = find(edges.a[e]!);
    const rb = find(edges.b[e]!);
    if (ra === rb) continue;
    if (ra < rb) parent[rb] = ra;
    else parent[ra] = rb;
  }
  const cluster = new Int32Array(n);
  let clusters = 0;
  for (let i = 0; i < n; i++) {
    cluster[i] = find(i);
    if (cluster[i] === i) clusters++;
  }
  return { cluster, status, bridgesCut, clusters };
}

/** Finds bridges (iterative Tarjan over a CSR graph) and marks the ones that fail the guard. */
function cutWeakBridges(n: number, edges: LinkEdges, eligible: number[], guards: ClusterGuards, status: Uint8Array): number {
  const degree = new Int32Array(n + 1);
  for (const e of eligible) {
    degree[edges.a[e]! + 1]++;
    degree[edges.b[e]! + 1]++;
  }
  for (let i = 0; i < n; i++) degree[i + 1] += degree[i]!;
  const start = degree; // offsets
  const fill = start.slice(0, n);
  const adj = new Int32Array(eligible.length * 2);
  const adjEdge = new Int32Array(eligible.length * 2);
  for (const e of eligible) {
    const a = edges.a[e]!;
    const b = edges.b[e]!;
    adj[fill[a]!] = b;
    adjEdge[fill[a]!++] = e;
    adj[fill[b]!] = a;
    adjEdge[fill[b]!++] = e;
  }
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const size = new Int32Array(n);
  const parentEdge = new Int32Array(n).fill(-1);
  const parentNode = new Int32Array(n).fill(-1);
  const pos = new Int32Array(n);
  const stack = new Int32Array(n);
  let time = 0;
  let cut = 0;
  const candidates: Array<[edge: number, child: number]> = [];
  for (let root = 0; root < n; root++) {
    if (disc[root] !== -1 || start[root] === start[root + 1]) continue;
    candidates.length = 0;
    let top = 0;
    stack[top++] = root;
    disc[root] = low[root] = time++;
    pos[root] = start[root]!;
    while (top > 0) {
      const v = stack[top - 1]!;
      if (pos[v]! < start[v + 1]!) {
        const i = pos[v]!++;
        const e = adjEdge[i]!;
        if (e === parentEdge[v]) continue;
        const w = adj[i]!;
        if (disc[w] === -1) {
          disc[w] = low[w] = time++;
          parentEdge[w] = e;
          parentNode[w] = v;
          pos[w] = start[w]!;
          stack[top++] = w;
        } else if (disc[w]! < low[v]!) low[v] = disc[w]!;
      } else {
        top--;
        size[v]! += 1;
        const p = parentNode[v]!;
        if (p >= 0) {
          if (low[v]! < low[p]!) low[p] = low[v]!;
          size[p]! += size[v]!;
          if (low[v]! > disc[p]!) candidates.push([parentEdge[v]!, v]);
        }
      }
    }
    const total = size[root]!;
    for (const [e, child] of candidates) {
      const side = size[child]!;
      if (side >= guards.bridgeMinSide && total - side >= guards.bridgeMinSide && edges.weight[e]! < guards.bridgeWeight) {
        status[e] = EDGE_BRIDGE;
        cut++;
      }
    }
  }
  return cut;
}
