/**
 * Clustering of scored links into entities, over typed arrays (no DuckDB): connected components
 * by union–find, with guards against the classic over-merges of record linkage:
 *  (a) weak links alone never merge: an edge must be strong, or corroborated by enough
 *      independent identifiers agreeing exactly (capped hub values do not count);
 *  (b) high-degree identifier values are capped upstream, in the weights (degree guard);
 *  (c) a bridge (an edge whose removal splits a cluster in two sides of ≥ `bridgeMinSide`
 *      records each) must also pass a stricter threshold, or it is cut;
 *  (d) exclusive values (a holder's national ID): two clusters whose known values are disjoint
 *      are two people and never merge, however strong the link (`EDGE_CONFLICT`).
 * Then cluster-level corroboration: clusters that share values of at least `minKinds` different
 * identifiers (one record of a cluster has the phone, another the account) merge, since two
 * independent identifiers rarely coincide by chance, and so do clusters sharing a value of a
 * decisive kind (a bank account); values seen in many clusters are hubs and do not count.
 * Deterministic: edges are taken by weight desc, then ids; a cluster's id is its smallest record id.
 */

export const EDGE_KEPT = 0;
export const EDGE_WEAK = 1;
export const EDGE_BRIDGE = 2;
export const EDGE_CONFLICT = 3;
/** One-to-one clustering: one of the records already has a stronger partner. */
export const EDGE_TAKEN = 4;

export interface LinkEdges {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  weight: ArrayLike<number>;
  /** Identifier comparisons agreeing exactly on the pair (after degree caps). */
  sharedIdentifiers: ArrayLike<number>;
}

/** Identifier values of records, one entry per (record, identifier kind, value). */
export interface RecordKeys {
  record: ArrayLike<number>;
  /** Identifier kind (0–15), e.g. the index of the comparison. */
  kind: ArrayLike<number>;
  /** Value id: equal ids are equal values (of the same kind). */
  value: ArrayLike<number>;
}

export interface ClusterGuards {
  strongWeight: number;
  minSharedIdentifiers: number;
  bridgeMinSide: number;
  bridgeWeight: number;
  /** Cluster-level corroboration (off when absent). */
  corroboration?: {
    keys: RecordKeys;
    /** Distinct identifier kinds two clusters must share to merge. */
    minKinds: number;
    /** A value found in more clusters than this is a hub: it corroborates nothing. */
    maxClustersPerValue: number;
    /** Kinds (bit mask) whose shared value merges by itself (a bank account: one holder). */
    decisiveKinds?: number;
    /** A decisive value spread over more clusters than this merges nothing by itself (an undetected hub). */
    maxClustersPerDecisiveValue?: number;
    /** Decisive kinds (bit mask) the spread cap does not apply to: values the model gives one business (a shop key). */
    neverHubKinds?: number;
  };
  /** Exclusive values (kind ignored): clusters whose known values are disjoint never merge. */
  exclusive?: { record: ArrayLike<number>; value: ArrayLike<number> };
}

/** A merge of two clusters by corroboration: their smallest record ids and the kinds shared (bit mask). */
export interface Corroboration {
  a: number;
  b: number;
  kinds: number;
}

export interface ClusterResult {
  /** Per record: smallest record id of its cluster. */
  cluster: Int32Array;
  /** Per edge (input order): EDGE_KEPT, EDGE_WEAK, EDGE_BRIDGE or EDGE_CONFLICT. */
  status: Uint8Array;
  bridgesCut: number;
  conflicts: number;
  corroborations: Corroboration[];
  clusters: number;
}

/** Edge indices sorted by weight desc, then a, then b. */
export function edgeOrder(edges: LinkEdges): Int32Array {
  const n = edges.a.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx.sort(
    (x, y) => edges.weight[y]! - edges.weight[x]! || edges.a[x]! - edges.a[y]! || edges.b[x]! - edges.b[y]!,
  );
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
    if (edges.weight[e]! >= guards.strongWeight || edges.sharedIdentifiers[e]! >= guards.minSharedIdentifiers)
      eligible.push(e);
    else status[e] = EDGE_WEAK;
  }
  // (c) bridges of the eligible graph.
  const bridgesCut = cutWeakBridges(n, edges, eligible, guards, status);
  const uf = new Components(n, guards.exclusive);
  // (d) components by union–find, strongest edges first; the root is always the smallest id.
  let conflicts = 0;
  for (const e of eligible) {
    if (status[e] !== EDGE_KEPT) continue;
    const r = uf.union(edges.a[e]!, edges.b[e]!);
    if (r === 'conflict') {
      status[e] = EDGE_CONFLICT;
      conflicts++;
    }
  }
  const corroborations = guards.corroboration ? corroborate(uf, guards.corroboration) : [];
  const cluster = new Int32Array(n);
  let clusters = 0;
  for (let i = 0; i < n; i++) {
    cluster[i] = uf.find(i);
    if (cluster[i] === i) clusters++;
  }
  return { cluster, status, bridgesCut, conflicts, corroborations, clusters };
}

/**
 * Splink-style clustering: every link (already above the match threshold) merges; clusters are
 * the connected components. No guard: a chain of links glues records.
 *
 * @example clusterComponents(3, { a: [0], b: [1], weight: [2], sharedIdentifiers: [0] }).cluster // [0, 0, 2]
 */
export function clusterComponents(n: number, edges: LinkEdges): ClusterResult {
  const uf = new Components(n);
  for (let e = 0; e < edges.a.length; e++) uf.union(edges.a[e]!, edges.b[e]!);
  return finish(uf, n, new Uint8Array(edges.a.length));
}

/**
 * One-to-one linking of two files: links are taken strongest first (then by ids) and a link is
 * kept only when neither record has a partner yet, so each record ends in at most one pair —
 * the best mutual matches. Refused links get `EDGE_TAKEN`.
 *
 * @example clusterOneToOne(3, { a: [0, 0], b: [1, 2], weight: [9, 5], sharedIdentifiers: [0, 0] }).status // [0, 4]
 */
export function clusterOneToOne(n: number, edges: LinkEdges): ClusterResult {
  const status = new Uint8Array(edges.a.length);
  const taken = new Uint8Array(n);
  const uf = new Components(n);
  for (const e of edgeOrder(edges)) {
    const a = edges.a[e]!;
    const b = edges.b[e]!;
    if (taken[a] || taken[b]) {
      status[e] = EDGE_TAKEN;
      continue;
    }
    taken[a] = taken[b] = 1;
    uf.union(a, b);
  }
  return finish(uf, n, status);
}

function finish(uf: Components, n: number, status: Uint8Array): ClusterResult {
  const cluster = new Int32Array(n);
  let clusters = 0;
  for (let i = 0; i < n; i++) {
    cluster[i] = uf.find(i);
    if (cluster[i] === i) clusters++;
  }
  return { cluster, status, bridgesCut: 0, conflicts: 0, corroborations: [], clusters };
}

/**
 * Union–find whose roots are smallest ids (so cluster ids do not depend on edge order), refusing
 * unions of clusters with disjoint exclusive values when those are given.
 */
export class Components {
  readonly parent: Int32Array;
  /** Exclusive values per root (only roots that have some). */
  private readonly excl = new Map<number, number[]>();

  constructor(n: number, exclusive?: { record: ArrayLike<number>; value: ArrayLike<number> }) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    if (!exclusive) return;
    for (let i = 0; i < exclusive.record.length; i++) {
      const r = exclusive.record[i]!;
      const list = this.excl.get(r);
      if (!list) this.excl.set(r, [exclusive.value[i]!]);
      else if (!list.includes(exclusive.value[i]!)) list.push(exclusive.value[i]!);
    }
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }

  /** Whether the clusters of roots ra and rb are known to be different people. */
  conflict(ra: number, rb: number): boolean {
    const xa = this.excl.get(ra);
    const xb = this.excl.get(rb);
    return !!xa && !!xb && !xa.some((v) => xb.includes(v));
  }

  union(a: number, b: number): 'same' | 'merged' | 'conflict' {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return 'same';
    if (this.conflict(ra, rb)) return 'conflict';
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent[child] = root;
    const xc = this.excl.get(child);
    if (xc) {
      const xr = this.excl.get(root);
      if (!xr) this.excl.set(root, xc);
      else for (const v of xc) if (!xr.includes(v)) xr.push(v);
      this.excl.delete(child);
    }
    return 'merged';
  }
}

const popcount = (x: number) => {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
};

/**
 * Merges clusters sharing values of at least `minKinds` identifier kinds, until nothing changes
 * (a merge can bring two more identifiers together). Candidates are taken by kinds shared desc,
 * then ids, so the result does not depend on input order.
 */
function corroborate(uf: Components, c: NonNullable<ClusterGuards['corroboration']>): Corroboration[] {
  const { keys } = c;
  const k = keys.record.length;
  // Entries grouped by value.
  const idx = Int32Array.from({ length: k }, (_, i) => i).sort(
    (x, y) => keys.value[x]! - keys.value[y]! || keys.record[x]! - keys.record[y]!,
  );
  const done: Corroboration[] = [];
  const roots: number[] = [];
  // Values spread too wide before any corroboration stay non-decisive (merges must not shrink a hub's spread).
  const spread = new Set<number>();
  for (let round = 0; round < 20; round++) {
    const shared = new Map<number, Map<number, number>>();
    for (let s = 0; s < k; ) {
      const v = keys.value[idx[s]!]!;
      const bit = 1 << keys.kind[idx[s]!]!;
      roots.length = 0;
      let e = s;
      for (; e < k && keys.value[idx[e]!] === v; e++) {
        const r = uf.find(keys.record[idx[e]!]!);
        if (!roots.includes(r)) roots.push(r);
        if (roots.length > c.maxClustersPerValue) break;
      }
      while (e < k && keys.value[idx[e]!] === v) e++;
      s = e;
      if (roots.length < 2 || roots.length > c.maxClustersPerValue) continue;
      if (round === 0 && roots.length > (c.maxClustersPerDecisiveValue ?? Infinity) && !((c.neverHubKinds ?? 0) & bit))
        spread.add(v);
      // Low 16 bits: kinds shared; high 16 bits: kinds whose value may decide alone.
      const kindBit = spread.has(v) ? bit : (bit | (bit << 16)) >>> 0;
      for (let i = 0; i < roots.length; i++) {
        for (let j = 0; j < roots.length; j++) {
          if (roots[i]! >= roots[j]!) continue;
          let row = shared.get(roots[i]!);
          if (!row) shared.set(roots[i]!, (row = new Map()));
          row.set(roots[j]!, ((row.get(roots[j]!) ?? 0) | kindBit) >>> 0);
        }
      }
    }
    const candidates: Corroboration[] = [];
    const decisive = c.decisiveKinds ?? 0;
    for (const [a, row] of shared) {
      for (const [b, both] of row) {
        const kinds = both & 0xffff;
        if (popcount(kinds) >= c.minKinds || ((both >>> 16) & decisive) !== 0) candidates.push({ a, b, kinds });
      }
    }
    candidates.sort((x, y) => popcount(y.kinds) - popcount(x.kinds) || x.a - y.a || x.b - y.b);
    let merged = 0;
    for (const cand of candidates) {
      const ra = uf.find(cand.a);
      const rb = uf.find(cand.b);
      if (ra === rb || uf.conflict(ra, rb)) continue;
      uf.union(ra, rb);
      done.push({ a: Math.min(ra, rb), b: Math.max(ra, rb), kinds: cand.kinds });
      merged++;
    }
    if (merged === 0) break;
  }
  return done;
}

/** Finds bridges (iterative Tarjan over a CSR graph) and marks the ones that fail the guard. */
function cutWeakBridges(
  n: number,
  edges: LinkEdges,
  eligible: number[],
  guards: ClusterGuards,
  status: Uint8Array,
): number {
  const degree = new Int32Array(n + 1);
  for (const e of eligible) {
    degree[edges.a[e]! + 1]!++;
    degree[edges.b[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) degree[i + 1]! += degree[i]!;
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
      if (
        side >= guards.bridgeMinSide &&
        total - side >= guards.bridgeMinSide &&
        edges.weight[e]! < guards.bridgeWeight
      ) {
        status[e] = EDGE_BRIDGE;
        cut++;
      }
    }
  }
  return cut;
}
