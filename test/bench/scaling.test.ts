import { describe, expect, it } from 'vitest';
import {
  fitPowerLaw,
  parseGnuTime,
  parseStageLines,
  project,
  rowsWithin,
  summariseLoad,
  topLevelStages,
} from '../../bench/lib/scaling.js';

describe('fitPowerLaw: log–log least squares', () => {
  it.each([
    { name: 'linear', xs: [1e3, 1e4, 1e5], ys: [2, 20, 200], exponent: 1, coefficient: 0.002 },
    { name: 'quadratic', xs: [10, 100, 1000], ys: [1, 100, 10_000], exponent: 2, coefficient: 0.01 },
    { name: 'square root', xs: [4, 16, 64], ys: [2, 4, 8], exponent: 0.5, coefficient: 1 },
    { name: 'flat', xs: [1, 10, 100], ys: [5, 5, 5], exponent: 0, coefficient: 5 },
  ])('$name', ({ xs, ys, exponent, coefficient }) => {
    const fit = fitPowerLaw(xs, ys)!;
    expect(fit.exponent).toBeCloseTo(exponent, 10);
    expect(fit.coefficient).toBeCloseTo(coefficient, 10);
    expect(fit.r2).toBeCloseTo(1, 10);
    expect(fit.points).toBe(xs.length);
  });

  it('fits noisy points with R² below 1 and ignores non-positive ones', () => {
    const fit = fitPowerLaw([1e3, 1e4, 1e5, 0], [1, 12, 95, 3])!;
    expect(fit.points).toBe(3);
    expect(fit.exponent).toBeGreaterThan(0.9);
    expect(fit.exponent).toBeLessThan(1.1);
    expect(fit.r2).toBeLessThan(1);
    expect(fit.r2).toBeGreaterThan(0.99);
  });

  it.each([
    { name: 'one point', xs: [10], ys: [1] },
    { name: 'same x twice', xs: [10, 10], ys: [1, 2] },
    { name: 'no positive y', xs: [10, 100], ys: [0, 0] },
  ])('returns null for $name', ({ xs, ys }) => {
    expect(fitPowerLaw(xs, ys)).toBeNull();
  });

  it('project and rowsWithin are inverse', () => {
    const fit = { exponent: 1.2, coefficient: 3e-5, r2: 1, points: 3 };
    expect(project(fit, rowsWithin(fit, 3600))).toBeCloseTo(3600, 6);
    expect(rowsWithin({ exponent: 1, coefficient: 0.002, r2: 1, points: 2 }, 3600)).toBeCloseTo(1_800_000, 3);
  });
});

describe('parsers of what a child run leaves', () => {
  it('reads GNU time -v', () => {
    const text = [
      '\tCommand being timed: "node bin/sangloc.js run"',
      '\tUser time (seconds): 13.34',
      '\tSystem time (seconds): 1.16',
      '\tPercent of CPU this job got: 111%',
      '\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02:03.50',
      '\tMaximum resident set size (kbytes): 452992',
      '\tExit status: 0',
    ].join('\n');
    expect(parseGnuTime(text)).toEqual({
      peakRssKb: 452992,
      userS: 13.34,
      systemS: 1.16,
      cpuPercent: 111,
      wallS: 3723.5,
      exitStatus: 0,
    });
    expect(parseGnuTime('nothing here')).toEqual({});
  });

  it.each([
    { stderr: 'sangloc: [publish] done in 1.5 s\n', expected: { publish: 1500 } },
    {
      stderr: 'sangloc: [ingest] …\nsangloc: [ingest] done in 789 ms\nsangloc: [link: block] done in 25 ms\n',
      expected: { ingest: 789, 'link: block': 25 },
    },
    { stderr: 'sangloc: [score] done in 2 s\nsangloc: [score] done in 500 ms\n', expected: { score: 2500 } },
    { stderr: 'sangloc: ingest: 21 new file(s)\n', expected: {} },
  ])('stage lines $expected', ({ stderr, expected }) => {
    expect(parseStageLines(stderr)).toEqual(expected);
  });

  it('keeps top-level stages in order and summarises load', () => {
    expect(topLevelStages({ ingest: 1, 'link: block': 2, resolve: 3, publish: 4 })).toEqual([
      'ingest',
      'resolve',
      'publish',
    ]);
    expect(summariseLoad([1, 2, 6])).toEqual({ mean: 3, max: 6, samples: 3 });
    expect(summariseLoad([])).toEqual({ mean: 0, max: 0, samples: 0 });
  });
});
