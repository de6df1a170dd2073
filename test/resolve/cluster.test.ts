import { describe, expect, it } from 'vitest';
import {
  clusterRecords,
  EDGE_BRIDGE,
  EDGE_CONFLICT,
  EDGE_KEPT,
  EDGE_WEAK,
  type ClusterGuards,
  type RecordKeys,
} from '../../engine/resolve/cluster.js';
import { rng } from './fixtures.js';

const guards: ClusterGuards = { strongWeight: 10, minSharedIdentifiers: 2, bridgeMinSide: 3, bridgeWeight: 15 };

type Edge = [a: number, b: number, weight: number, shared: number];
const edges = (list: Edge[]) => ({
  a: list.map((e) => e[0]),
  b: list.map((e) => e[1]),
  weight: list.map((e) => e[2]),
  sharedIdentifiers: list.map((e) => e[3]),
});
const clique = (ids: number[], w: number): Edge[] =>
  ids.flatMap((a, i) => ids.slice(i + 1).map((b): Edge => [a, b, w, 3]));

describe('clusterRecords', () => {
  it.each<{ name: string; n: number; list: Edge[]; cluster: number[]; status: number[] }>([
    { name: 'a strong link merges', n: 3, list: [[0, 1, 20, 0]], cluster: [0, 0, 2], status: [EDGE_KEPT] },
    {
      name: 'a weak chain does not merge',
      n: 3,
      list: [
        [0, 1, 5, 1],
        [1, 2, 5, 1],
      ],
      cluster: [0, 1, 2],
      status: [EDGE_WEAK, EDGE_WEAK],
    },
    {
      name: 'a weak link corroborated by two identifiers merges',
      n: 2,
      list: [[0, 1, 5, 2]],
      cluster: [0, 0],
      status: [EDGE_KEPT],
    },
    {
      name: 'the cluster id is the smallest record id',
      n: 5,
      list: [
        [3, 4, 20, 0],
        [1, 4, 20, 0],
      ],
      cluster: [0, 1, 2, 1, 1],
      status: [EDGE_KEPT, EDGE_KEPT],
    },
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

/** Keys from [record, kind, value] triples (value ids: equal values of one kind share an id). */
const keys = (list: Array<[record: number, kind: number, value: number]>): RecordKeys => ({
  record: list.map((k) => k[0]),
  kind: list.map((k) => k[1]),
  value: list.map((k) => k[2]),
});
const PHONE = 0;
const ACCOUNT = 1;
const EMAIL = 2;

describe('clusterRecords: exclusive values', () => {
  const exclusive = (list: Array<[record: number, value: number]>) => ({
    record: list.map((x) => x[0]),
    value: list.map((x) => x[1]),
  });
  it.each<{
    name: string;
    n: number;
    list: Edge[];
    excl: Array<[number, number]>;
    cluster: number[];
    status: number[];
  }>([
    {
      name: 'a strong link between two holders is refused',
      n: 2,
      list: [[0, 1, 30, 2]],
      excl: [
        [0, 7],
        [1, 8],
      ],
      cluster: [0, 1],
      status: [EDGE_CONFLICT],
    },
    {
      name: 'the same holder merges',
      n: 2,
      list: [[0, 1, 30, 2]],
      excl: [
        [0, 7],
        [1, 7],
      ],
      cluster: [0, 0],
      status: [EDGE_KEPT],
    },
    {
      name: 'a record without a holder joins either',
      n: 3,
      list: [
        [0, 1, 30, 2],
        [1, 2, 20, 2],
      ],
      excl: [
        [0, 7],
        [2, 8],
      ],
      cluster: [0, 0, 2],
      status: [EDGE_KEPT, EDGE_CONFLICT],
    },
    {
      name: 'the stronger link decides which holder a shared record joins',
      n: 3,
      list: [
        [0, 1, 20, 2],
        [1, 2, 40, 2],
      ],
      excl: [
        [0, 7],
        [2, 8],
      ],
      cluster: [0, 1, 1],
      status: [EDGE_CONFLICT, EDGE_KEPT],
    },
  ])('$name', ({ n, list, excl, cluster, status }) => {
    const r = clusterRecords(n, edges(list), { ...guards, exclusive: exclusive(excl) });
    expect([...r.cluster]).toEqual(cluster);
    expect([...r.status]).toEqual(status);
    expect(r.conflicts).toBe(status.filter((s) => s === EDGE_CONFLICT).length);
  });
});

describe('clusterRecords: corroboration', () => {
  const corroborate = (k: RecordKeys, extra: Partial<NonNullable<ClusterGuards['corroboration']>> = {}) => ({
    ...guards,
    corroboration: { keys: k, minKinds: 2, maxClustersPerValue: 10, ...extra },
  });
  it.each<{
    name: string;
    n: number;
    list: Edge[];
    k: Array<[number, number, number]>;
    extra?: Partial<NonNullable<ClusterGuards['corroboration']>>;
    cluster: number[];
  }>([
    {
      name: 'clusters sharing a phone and an account merge, though no record pair shares both',
      n: 3,
      list: [[0, 1, 20, 0]],
      k: [
        [0, PHONE, 1],
        [1, ACCOUNT, 2],
        [2, PHONE, 1],
        [2, ACCOUNT, 2],
      ],
      cluster: [0, 0, 0],
    },
    {
      name: 'one shared identifier does not merge',
      n: 2,
      list: [],
      k: [
        [0, PHONE, 1],
        [1, PHONE, 1],
      ],
      cluster: [0, 1],
    },
    {
      name: 'two values of one kind are one kind',
      n: 2,
      list: [],
      k: [
        [0, PHONE, 1],
        [1, PHONE, 1],
        [0, PHONE, 3],
        [1, PHONE, 3],
      ],
      cluster: [0, 1],
    },
    {
      name: 'a decisive kind merges alone',
      n: 2,
      list: [],
      k: [
        [0, ACCOUNT, 2],
        [1, ACCOUNT, 2],
      ],
      extra: { decisiveKinds: 1 << ACCOUNT },
      cluster: [0, 0],
    },
    {
      name: 'a decisive value spread over more clusters than allowed merges nothing alone',
      n: 4,
      list: [],
      k: [
        [0, PHONE, 1],
        [1, PHONE, 1],
        [2, PHONE, 1],
        [3, PHONE, 1],
      ],
      extra: { decisiveKinds: 1 << PHONE, maxClustersPerDecisiveValue: 3 },
      cluster: [0, 1, 2, 3],
    },
    {
      // prec4: a shop's key (its record, payouts and marketplace parcels, int_identity_records.sql) is
      // given by the SQL to one shop: however many clusters hold it, it decides
      name: 'a never-hub decisive value merges however many clusters hold it',
      n: 4,
      list: [],
      k: [
        [0, PHONE, 1],
        [1, PHONE, 1],
        [2, PHONE, 1],
        [3, PHONE, 1],
      ],
      extra: { decisiveKinds: 1 << PHONE, neverHubKinds: 1 << PHONE, maxClustersPerDecisiveValue: 3 },
      cluster: [0, 0, 0, 0],
    },
    {
      name: '… but still counts as one of two identifiers',
      n: 4,
      list: [],
      k: [
        [0, PHONE, 1],
        [1, PHONE, 1],
        [2, PHONE, 1],
        [3, PHONE, 1],
        [0, EMAIL, 5],
        [3, EMAIL, 5],
      ],
      extra: { decisiveKinds: 1 << PHONE, maxClustersPerDecisiveValue: 3 },
      cluster: [0, 1, 2, 0],
    },
    {
      name: 'a value in more clusters than maxClustersPerValue corroborates nothing',
      n: 3,
      list: [],
      k: [
        [0, PHONE, 1],
        [1, PHONE, 1],
        [2, PHONE, 1],
        [0, EMAIL, 5],
        [1, EMAIL, 5],
      ],
      extra: { maxClustersPerValue: 2 },
      cluster: [0, 1, 2],
    },
    {
      name: 'a merge brings two more identifiers together (rounds until nothing changes)',
      n: 5,
      list: [],
      // 0+1 merge on phone and account; the merged cluster then shares e-mail (from 0) and phone (from 1)… with 2.
      k: [
        [0, PHONE, 1],
        [1, PHONE, 1],
        [0, ACCOUNT, 2],
        [1, ACCOUNT, 2],
        [0, EMAIL, 5],
        [2, EMAIL, 5],
        [2, ACCOUNT, 9],
        [1, ACCOUNT, 9],
      ],
      cluster: [0, 0, 0, 3, 4],
    },
  ])('$name', ({ n, list, k, extra, cluster }) => {
    const r = clusterRecords(n, edges(list), corroborate(keys(k), extra));
    expect([...r.cluster]).toEqual(cluster);
    expect(r.clusters).toBe(new Set(cluster).size);
    expect(r.corroborations.length).toBe(
      n - new Set(cluster).size - list.filter((e) => e[2] >= guards.strongWeight).length,
    );
  });

  it('never merges two holders, however many identifiers they share', () => {
    const k = keys([
      [0, PHONE, 1],
      [1, PHONE, 1],
      [0, ACCOUNT, 2],
      [1, ACCOUNT, 2],
    ]);
    const r = clusterRecords(2, edges([]), {
      ...corroborate(k, { decisiveKinds: 1 << ACCOUNT }),
      exclusive: { record: [0, 1], value: [7, 8] },
    });
    expect([...r.cluster]).toEqual([0, 1]);
    expect(r.corroborations).toEqual([]);
  });

  it('reports each merge with the kinds shared', () => {
    const r = clusterRecords(
      3,
      edges([]),
      corroborate(
        keys([
          [2, PHONE, 1],
          [1, PHONE, 1],
          [2, ACCOUNT, 2],
          [1, ACCOUNT, 2],
        ]),
      ),
    );
    expect(r.corroborations).toEqual([{ a: 1, b: 2, kinds: (1 << PHONE) | (1 << ACCOUNT) }]);
  });

  it('gives the same clusters whatever the order of the keys', () => {
    const r = rng(5);
    const list: Array<[number, number, number]> = Array.from({ length: 2000 }, () => [
      Math.floor(r() * 500),
      Math.floor(r() * 3),
      Math.floor(r() * 300),
    ]);
    const g = { decisiveKinds: 1 << ACCOUNT, maxClustersPerDecisiveValue: 3 };
    const x = clusterRecords(500, edges([]), corroborate(keys(list), g));
    const y = clusterRecords(500, edges([]), corroborate(keys([...list].reverse()), g));
    expect([...y.cluster]).toEqual([...x.cluster]);
    expect(x.clusters).toBeLessThan(500);
  });
});
