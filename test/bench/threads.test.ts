import { describe, expect, it } from 'vitest';
import { judgeThreadPairs, type ThreadPair } from '../../bench/lib/threads.js';

const opts = { speedupFloor: 1.3, freeCores: 1.7, cpuOverheadCeiling: 1.3 };
const pair = (offered: number, wall1Ms: number, wall2Ms: number, cpu1Ms = 100, cpu2Ms = 105): ThreadPair => ({
  offered, wall1Ms, wall2Ms, cpu1Ms, cpu2Ms, speedup: wall1Ms / wall2Ms,
});

describe('judgeThreadPairs: speedup asserted only when the machine offered two cores', () => {
  it.each([
    { name: 'idle machine, pool scales', pairs: [pair(1.95, 100, 56), pair(1.9, 100, 60)], asserted: 'speedup', ok: true, value: 100 / 56 },
    { name: 'idle machine, pool serialises', pairs: [pair(1.95, 100, 98), pair(1.9, 100, 101)], asserted: 'speedup', ok: false, value: 100 / 98 },
    { name: 'a busy pair does not count against a free one', pairs: [pair(0.9, 100, 140), pair(1.8, 100, 55)], asserted: 'speedup', ok: true, value: 100 / 55 },
    { name: 'a lucky busy pair does not rescue a serialising pool', pairs: [pair(0.9, 200, 100), pair(1.8, 100, 99)], asserted: 'speedup', ok: false, value: 100 / 99 },
    { name: 'busy throughout, splitting is cheap', pairs: [pair(0.3, 300, 250, 600, 620), pair(0.4, 170, 220, 557, 588), pair(0.2, 220, 260, 500, 700)], asserted: 'cpu-overhead', ok: true, value: 588 / 557 },
    { name: 'busy throughout, splitting doubles the work', pairs: [pair(0.3, 300, 250, 500, 1000), pair(0.4, 170, 220, 500, 900)], asserted: 'cpu-overhead', ok: false, value: 1.9 },
  ])('$name', ({ pairs, asserted, ok, value }) => {
    const v = judgeThreadPairs(pairs, opts);
    expect(v.asserted).toBe(asserted);
    expect(v.ok).toBe(ok);
    expect(v.value).toBeCloseTo(value, 10);
    expect(v.bestSpeedup).toBeCloseTo(Math.max(...pairs.map((p) => p.speedup)), 10);
  });
});
