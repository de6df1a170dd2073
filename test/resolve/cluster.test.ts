import { describe, expect, it } from 'vitest';
import { clusterRecords, EDGE_BRIDGE, EDGE_KEPT, EDGE_WEAK, type ClusterGuards } from '../../engine/resolve/cluster.js';
import { rng } from './fixtures.js';

const guards: ClusterGuards = { strongWeight: 10, minSharedIdentifiers: 2, bridgeMinSide: 3, bridgeWeight: 15 };

type Edge = [a: number, b: number, weight: number, shared: number];
const edges = (list: Edge[]) => ({
  a: list.map((e) => e[0]),
  b: list.map((e) => e[1]),
  weight: list.map((e) => e[2]),
  sharedIdentifiers: list.map((e) => e[3]),
});
const clique = (ids: number[], w: number): Edge[] => ids.flatMap((a, i) => ids.slice(i + 1).map((b): Edge => [a, b, w, 3]));

describe('clusterRecords', () => {
  it.each<{ name: string; n: number; list: Edge[]; cluster: number[]; status: number[] }>([
    { name: 'a strong link merges', n: 3, list: [[0, 1, 20, 0]], cluster: [0, 0, 2], status: [EDGE_KEPT] },
    { name: 'a weak chain does not merge', n: 3, list: [[0, 1, 5, 1], [1, 2, 5, 1]], cluster: [0, 1, 2], status: [EDGE_WEAK, EDGE_WEAK] },
    { name: 'a weak link corroborated by two identifiers merges', n: 2, list: [[0, 1, 5, 2]], cluster: [0, 0], status: [EDGE_KEPT] },
    { name: 'the cluster id is the smallest record id', n: 5, list: [[3, 4, 20, 0], [1, 4, 20, 0]], cluster: [0, 1, 2, 1, 1], status: [EDGE_KEPT, EDGE_KEPT] },
    {
      name: 'a bridge between two groups of 4 below the bridge threshold is cut',
      n: 8,
      list: [...clique([0, 1, 2, 3], 20), ...clique([4, 5, 6, 7], 20), [3, 4, 12, 1]],
      cluster: [0, 0, 0, 0, 4, 4, 4, 4],
      status: [...Array(12).fill(EDGE_KEPT), EDGE_BRIDGE],
    },
    {
      name: 'a bridge above the bridge threshold stays',
      n: 8,
      list: [...clique([0, 1, 2, 3], 20), ...clique([4, 5, 6, 7], 20), [3, 4, 16, 1]],
      cluster: [0, 0, 0, 0, 0, 0, 0, 0],
      status: Array(13).fill(EDGE_KEPT),
    },
    {
      name: 'a bridge to a small side (one record) stays',
      n: 4,
      list: [...clique([0, 1, 2], 20), [2, 3, 12, 1]],
      cluster: [0, 0, 0, 0],
      status: Array(4).fill(EDGE_KEPT),
    },
    {
      name: 'an edge on a cycle is no bridge',
      n: 6,
      list: [...clique([0, 1, 2], 20), ...clique([3, 4, 5], 20), [2, 3, 12, 1], [1, 4, 12, 1]],
      cluster: [0, 0, 0, 0, 0, 0],
      status: Array(8).fill(EDGE_KEPT),
    },
  ])('$name', ({ n, list, cluster, status }) => {
    const r = clusterRecords(n, edges(list), guards);
    expect([...r.cluster]).toEqual(cluster);
    expect([...r.status]).toEqual(status);
    expect(r.clusters).toBe(new Set(cluster).size);
  });

  it('gives the same clusters whatever the order of the edges', () => {
    const r = rng(11);
    const list: Edge[] = Array.from({ length: 3000 }, (): Edge => {
      const a = Math.floor(r() * 1000);
      const b = (a + 1 + Math.floor(r() * 999)) % 1000;
      return [Math.min(a, b), Math.max(a, b), 4 + Math.floor(r() * 20), Math.floor(r() * 3)];
    });
    const unique = [...new Map(list.map((e) => [`${e[0]}-${e[1]}`, e])).values()];
    const shuffled = [...unique].sort(() => 0).reverse();
    const x = clusterRecords(1000, edges(unique), guards);
    const y = clusterRecords(1000, edges(shuffled), guards);
    expect([...y.cluster]).toEqual([...x.cluster]);
    const statusOf = (res: typeof x, l: Edge[]) => new Map(l.map((e, i) => [`${e[0]}-${e[1]}`, res.status[i]]));
    expect(statusOf(y, shuffled)).toEqual(statusOf(x, unique));
    expect(x.clusters).toBeLessThan(1000);
  });
});
