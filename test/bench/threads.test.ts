import { describe, expect, it } from 'vitest';
import { inFlight, judgeThreadPairs, type ThreadPair } from '../../bench/lib/threads.js';

const opts = { freeCores: 1.7, cpuOverheadCeiling: 1.3, inFlightFloor: 1.8 };
const pair = (offered: number, wall1Ms: number, wall2Ms: number, cpu1Ms = 100, cpu2Ms = 105): ThreadPair => ({
  offered,
  wall1Ms,
  wall2Ms,
  cpu1Ms,
  cpu2Ms,
  speedup: wall1Ms / wall2Ms,
  plainSpeedup: 1.9,
});
const twoInFlight = { concurrency: 1.96, threads: 2 };

describe('judgeThreadPairs: judges what a correct pool always shows, never the neighbours', () => {
  it.each([
    {
      name: 'idle machine, pool scales',
      pairs: [pair(1.95, 100, 56), pair(1.9, 100, 60)],
      flight: twoInFlight,
      ok: true,
    },
    {
      name: 'busy machine, a correct pool is not failed for a low wall ratio',
      pairs: [pair(0.9, 100, 98), pair(1.8, 100, 101)],
      flight: twoInFlight,
      ok: true,
    },
    {
      name: 'a pool that serialises its tasks',
      pairs: [pair(1.95, 100, 98)],
      flight: { concurrency: 1.02, threads: 2 },
      ok: false,
    },
    {
      name: 'a pool that uses one thread',
      pairs: [pair(1.95, 100, 98)],
      flight: { concurrency: 1.0, threads: 1 },
      ok: false,
    },
    {
      name: 'busy throughout, splitting is cheap',
      pairs: [pair(0.3, 300, 250, 600, 620), pair(0.4, 170, 220, 557, 588), pair(0.2, 220, 260, 500, 700)],
      flight: twoInFlight,
      ok: true,
    },
    {
      name: 'splitting doubles the work',
      pairs: [pair(0.3, 300, 250, 500, 1000), pair(0.4, 170, 220, 500, 900)],
      flight: twoInFlight,
      ok: false,
    },
  ])('$name', ({ pairs, flight, ok }) => {
    const v = judgeThreadPairs(pairs, { ...opts, flight });
    expect(v.ok).toBe(ok);
    expect(v.failures.length === 0).toBe(ok);
    expect(v.bestSpeedup).toBeCloseTo(Math.max(...pairs.map((p) => p.speedup)), 10);
  });

  it('reports the free pairs’ best wall ratios beside the plain-thread reference', () => {
    const v = judgeThreadPairs([pair(0.5, 100, 50), pair(1.9, 100, 70)], { ...opts, flight: twoInFlight });
    expect(v.freePairs).toBe(1);
    expect(v.freeSpeedup).toBeCloseTo(100 / 70, 10);
    expect(v.bestSpeedup).toBeCloseTo(2, 10);
    expect(v.freePlainSpeedup).toBe(1.9);
  });
});

describe('inFlight: tasks a pool kept running at once', () => {
  it('two threads busy over the whole span give ~2', () => {
    const f = inFlight([
      { start: 0, end: 50, thread: 1 },
      { start: 50, end: 100, thread: 1 },
      { start: 1, end: 51, thread: 2 },
      { start: 51, end: 100, thread: 2 },
    ]);
    expect(f.threads).toBe(2);
    expect(f.concurrency).toBeCloseTo(1.99, 2);
  });
  it('tasks one after another give 1, whatever the number of threads', () => {
    const f = inFlight([
      { start: 0, end: 50, thread: 1 },
      { start: 50, end: 100, thread: 2 },
    ]);
    expect(f).toEqual({ concurrency: 1, threads: 2 });
  });
  it('no tasks', () => expect(inFlight([])).toEqual({ concurrency: 0, threads: 0 }));
});
