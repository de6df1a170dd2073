import { describe, expect, it } from 'vitest';
import { rankCases } from '../../engine/score/rank.js';

const ids = Array.from({ length: 100 }, (_, i) => `E${String(i).padStart(3, '0')}`);
const yields = Float64Array.from(ids.map((_, i) => (i * 37) % 101));
const risk = new Float64Array(ids.length).fill(0.5);
const none = new Uint8Array(ids.length);

describe('rankCases', () => {
  it('orders by expected yield, best first, ties by entity id', () => {
    const r = rankCases(
      Float64Array.from([5, 9, 9, 1]),
      new Float64Array(4).fill(0.1),
      ['d', 'c', 'b', 'a'],
      new Uint8Array(4),
      { capacity: 0, controlShare: 0, seed: 1 },
    );
    expect([...r.order]).toEqual([2, 1, 0, 3]);
    expect([...r.control]).toEqual([0, 0, 0, 0]);
  });

  it('reserves the control share of the work list for random picks from below it, flagged', () => {
    const r = rankCases(yields, risk, ids, none, { capacity: 40, controlShare: 0.05, seed: 7 });
    expect(r.order).toHaveLength(100);
    expect([...r.control.slice(0, 38)].every((c) => c === 0)).toBe(true);
    expect([...r.control.slice(38, 40)]).toEqual([1, 1]);
    expect(r.control.slice(40).every((c) => c === 0)).toBe(true);
    const best38 = [...ids.keys()].sort((a, b) => yields[b]! - yields[a]!).slice(0, 38);
    expect(new Set(r.order.slice(0, 38))).toEqual(new Set(best38));
    for (const c of r.order.slice(38, 40)) expect(best38).not.toContain(c);
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = rankCases(yields, risk, ids, none, { capacity: 40, controlShare: 0.1, seed: 7 });
    const b = rankCases(yields, risk, ids, none, { capacity: 40, controlShare: 0.1, seed: 7 });
    const c = rankCases(yields, risk, ids, none, { capacity: 40, controlShare: 0.1, seed: 8 });
    expect([...a.order]).toEqual([...b.order]);
    expect([...a.order.slice(36, 40)]).not.toEqual([...c.order.slice(36, 40)]);
  });

  it('leaves out excluded entities (already under audit)', () => {
    const excluded = new Uint8Array(ids.length);
    excluded[yields.indexOf(Math.max(...yields))] = 1;
    const r = rankCases(yields, risk, ids, excluded, { capacity: 0, controlShare: 0, seed: 1 });
    expect(r.order).toHaveLength(99);
    expect([...r.order]).not.toContain(yields.indexOf(Math.max(...yields)));
  });

  it('caps scored cases per province with quotas; the rest follow in score order', () => {
    const provinces = ids.map((_, i) => (i % 2 ? 'Hà Nội' : 'Huế'));
    const r = rankCases(yields, risk, ids, none, {
      capacity: 20,
      controlShare: 0,
      seed: 1,
      provinceQuotas: { 'Hà Nội': 5 },
      provinces,
    });
    const head = [...r.order.slice(0, 20)];
    expect(head.filter((i) => provinces[i] === 'Hà Nội')).toHaveLength(5);
    expect(r.order).toHaveLength(100);
    const tail = [...r.order.slice(20)];
    for (let k = 1; k < tail.length; k++) expect(yields[tail[k - 1]!]! >= yields[tail[k]!]!).toBe(true);
  });

  it('fills the scored part of the work list with eligible entities only (a reason or a gap), never padding it', () => {
    // 10 entities are cases; capacity 40 asks for 38 scored picks: the list is 10 + a control share of it.
    const eligible = new Uint8Array(ids.length);
    for (let i = 0; i < 100; i += 10) eligible[i] = 1;
    const r = rankCases(yields, risk, ids, none, { capacity: 40, controlShare: 0.1, seed: 3, eligible });
    expect(r.workList).toBe(11);
    expect(new Set(r.order.slice(0, 10))).toEqual(new Set([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]));
    expect([...r.control.slice(0, 10)].every((c) => c === 0)).toBe(true);
    expect(r.control[10]).toBe(1);
    expect(r.control.slice(11).every((c) => c === 0)).toBe(true);
    expect(r.order).toHaveLength(100);
  });

  it.each([
    { capacity: 40, share: 0.05, workList: 40 },
    { capacity: 0, share: 0, workList: 100 },
    { capacity: 500, share: 0.03, workList: 100 },
  ])('reports the work list length: capacity $capacity, share $share', ({ capacity, share, workList }) => {
    const r = rankCases(yields, risk, ids, none, { capacity, controlShare: share, seed: 1 });
    expect(r.workList).toBe(workList);
    expect([...r.control].reduce((a, b) => a + b, 0)).toBe(Math.round(workList * share));
  });
});
