import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateRun, formatEvaluation, type Evaluation } from '../../engine/evaluate/index.js';
import { cases, members, writeFixture, type Fixture } from './fixture.js';

const made: Fixture[] = [];
const fixture = (o?: Parameters<typeof writeFixture>[0]): Fixture => {
  const f = writeFixture(o);
  made.push(f);
  return f;
};
afterAll(() => made.forEach((f) => rmSync(f.root, { recursive: true, force: true })));

const base = fixture({ casesBom: true });
const evaluation: Promise<Evaluation> = evaluateRun({ truthDir: base.truth, runDir: base.run, ks: [1, 2, 3, 5, 10] });

describe('evaluateRun: the case list', () => {
  // Counted list after skipping audited persons: E1 (hit p01) E6 (unmapped) E9 (p01 dup) E4 (compliant) E2 (hit p02) E10 (compliant).
  // Yield denominator 160 (p01 100 + p02 50 + p09 10); ceiling = top-K of [100, 50, 10].
  it.each([
    {
      k: 1,
      counted: 1,
      hits: 1,
      precision: 1,
      dup: 0,
      unmapped: 0,
      skipped: 1,
      control: 0,
      yieldVnd: 100,
      ceilingVnd: 100,
    },
    {
      k: 2,
      counted: 2,
      hits: 1,
      precision: 1 / 2,
      dup: 0,
      unmapped: 1,
      skipped: 1,
      control: 0,
      yieldVnd: 100,
      ceilingVnd: 150,
    },
    {
      k: 3,
      counted: 3,
      hits: 1,
      precision: 1 / 3,
      dup: 1,
      unmapped: 1,
      skipped: 2,
      control: 0,
      yieldVnd: 100,
      ceilingVnd: 160,
    },
    {
      k: 5,
      counted: 5,
      hits: 2,
      precision: 2 / 5,
      dup: 1,
      unmapped: 1,
      skipped: 2,
      control: 0,
      yieldVnd: 150,
      ceilingVnd: 160,
    },
    {
      k: 10,
      counted: 6,
      hits: 2,
      precision: 2 / 10,
      dup: 1,
      unmapped: 1,
      skipped: 4,
      control: 1,
      yieldVnd: 150,
      ceilingVnd: 160,
    },
  ])('at K=$k: $hits hits, yield $yieldVnd of ceiling $ceilingVnd', async (x) => {
    const at = (await evaluation).ranking.atK.find((a) => a.k === x.k)!;
    expect(at).toMatchObject({
      counted: x.counted,
      hits: x.hits,
      duplicateCases: x.dup,
      unmappedCases: x.unmapped,
      skippedAudited: x.skipped,
      controlCases: x.control,
      yieldVnd: x.yieldVnd,
      ceilingVnd: x.ceilingVnd,
    });
    expect(at.precision).toBeCloseTo(x.precision, 12);
    expect(at.yield).toBeCloseTo(x.yieldVnd / 160, 12);
    expect(at.ceiling).toBeCloseTo(x.ceilingVnd / 160, 12);
    expect(at.yieldToCeiling).toBeCloseTo(x.yieldVnd / x.ceilingVnd, 12);
    expect(at.lift).toBeCloseTo(x.precision / 0.6, 12);
  });

  it('judges the list on persons not named in outcomes', async () => {
    const e = await evaluation;
    expect(e.ranking).toMatchObject({ eligiblePersons: 5, eligibleUndeclared: 3, undeclaredTaxDueVnd: 160 });
    expect(e.ranking.baseRate).toBeCloseTo(0.6, 12);
  });

  it('maps every outcome subject type to its person', async () => {
    const a = (await evaluation).audited;
    expect(a).toMatchObject({ outcomeRows: 6, subjects: 6, unmatchedSubjects: 1, persons: 5 });
    expect(a.byType).toEqual({
      tax_id: { subjects: 2, matched: 1, persons: 1 },
      platform_shop: { subjects: 1, matched: 1, persons: 1 },
      domain: { subjects: 1, matched: 1, persons: 1 },
      phone: { subjects: 1, matched: 1, persons: 1 },
      national_id: { subjects: 1, matched: 1, persons: 1 },
    });
  });

  it('skips nothing and says so when the delivery has no outcomes', async () => {
    const f = fixture({ outcomes: false });
    const e = await evaluateRun({ truthDir: f.truth, runDir: f.run, ks: [10] });
    // Counted now: E5 (p04 hit 30) E1 (p01 hit 100) E6 E3 (p05 hit 20) E9 (dup) E4 E2 (p02 hit 50) E7 (p06 compliant) E10 E8 (p08 hit 40).
    expect(e.ranking.atK[0]).toMatchObject({ counted: 10, hits: 5, skippedAudited: 0, yieldVnd: 240 });
    expect(e.ranking.undeclaredTaxDueVnd).toBe(330);
    expect(e.notes.join(' ')).toMatch(/No outcomes files/);
  });

  it('breaks a majority tie towards the smaller person id', async () => {
    // E7 holds one record of p06 and one of p07: it is p06's case (audited), so it is skipped even though p07 is audited too;
    // moving it to rank 1 with no outcomes makes it a compliant miss rather than p07's hit.
    const f = fixture({ outcomes: false, cases: [cases[0]!, ['1', 'E7', '0.9', '1', '']] });
    const e = await evaluateRun({ truthDir: f.truth, runDir: f.run, ks: [1] });
    expect(e.ranking.atK[0]).toMatchObject({ hits: 0, unmappedCases: 0, duplicateCases: 0 });
  });

  it('reads cases.csv the same with or without a BOM', async () => {
    const f = fixture({ casesBom: false });
    const plain = await evaluateRun({ truthDir: f.truth, runDir: f.run, ks: [1, 2, 3, 5, 10] });
    expect(plain.ranking).toEqual((await evaluation).ranking);
    expect(readFileSync(join(base.run, 'cases.csv'), 'utf8').charCodeAt(0)).toBe(0xfeff);
  });
});

describe('evaluateRun: entities', () => {
  it.each([
    // All 16 truth records: person pairs p01 C(4,2)=6 + p02 C(3,2)=3 + p03 1 = 10; entity pairs E1 6 + E2 1 + E7 1 = 8;
    // agreeing pairs E1/p01 C(3,2)=3 + E2/p02 1 = 4.
    {
      scope: 'all' as const,
      records: 16,
      entities: 9,
      unlinked: 2,
      mixed: 2,
      predicted: 8,
      truth: 10,
      tp: 4,
      p: 0.5,
      r: 0.4,
      f1: 0.4 / 0.9,
    },
    // Identity sources (9 records): p01 C(3,2)=3 + p02 1 = 4 true pairs, all found, no others.
    {
      scope: 'identity' as const,
      records: 9,
      entities: 6,
      unlinked: 0,
      mixed: 0,
      predicted: 4,
      truth: 4,
      tp: 4,
      p: 1,
      r: 1,
      f1: 1,
    },
  ])('$scope: P $p, R $r', async (x) => {
    const s = (await evaluation).entities[x.scope];
    expect(s).toMatchObject({
      records: x.records,
      entities: x.entities,
      unlinkedRecords: x.unlinked,
      mixedEntities: x.mixed,
      predictedPairs: x.predicted,
      truePairs: x.truth,
      truePositivePairs: x.tp,
    });
    expect(s.precision).toBeCloseTo(x.p, 12);
    expect(s.recall).toBeCloseTo(x.r, 12);
    expect(s.f1).toBeCloseTo(x.f1, 12);
  });

  it('counts members against the truth', async () => {
    expect((await evaluation).counts).toEqual({
      persons: 10,
      undeclaredPersons: 7,
      truthRecords: 16,
      cases: 10,
      memberRows: 15,
      memberRecordsNotInTruth: 1,
      truthRecordsNotInMembers: 2,
      recordsInSeveralEntities: 0,
      casesWithoutPerson: 1,
    });
  });

  it('treats truth records missing from members.csv as singletons that cost recall', async () => {
    // Drop E1's taxpayer record: p01 loses 2 agreeing pairs inside E1 (C(3,2)=3 → C(2,2)=1), predicted 8 → 6.
    const f = fixture({ members: members.filter((m) => m[2] !== '0101234567') });
    const e = await evaluateRun({ truthDir: f.truth, runDir: f.run, ks: [1] });
    expect(e.entities.all).toMatchObject({
      unlinkedRecords: 3,
      predictedPairs: 5,
      truePairs: 10,
      truePositivePairs: 2,
    });
    expect(e.entities.all.recall).toBeCloseTo(0.2, 12);
    expect(e.counts.truthRecordsNotInMembers).toBe(3);
  });

  it('keeps one entity for a record listed under two', async () => {
    const f = fixture({ members: [...members, ['E4', 'cod_shipments', 'ghn:W1']] });
    const e = await evaluateRun({ truthDir: f.truth, runDir: f.run, ks: [1] });
    expect(e.counts.recordsInSeveralEntities).toBe(1);
    expect(e.counts.memberRows).toBe(16);
    // ghn:W1 stays in E4 (the smaller id of E4 / E9): E4 now holds p01 and p03.
    expect(e.entities.all.mixedEntities).toBe(3);
  });
});

describe('evaluateRun: where the run is', () => {
  it.each([
    {
      how: 'symlink',
      make: (f: Fixture) => symlinkSync(join('runs', 'r1'), join(f.workspace, 'latest')),
      run: (f: Fixture) => join(f.workspace, 'latest'),
    },
    {
      how: 'file holding the run id',
      make: (f: Fixture) => writeFileSync(join(f.workspace, 'latest'), 'r1\n'),
      run: (f: Fixture) => join(f.workspace, 'latest'),
    },
    {
      how: 'workspace folder',
      make: (f: Fixture) => writeFileSync(join(f.workspace, 'latest'), 'r1'),
      run: (f: Fixture) => f.workspace,
    },
  ])('follows WS/latest as a $how', async ({ make, run }) => {
    const f = fixture();
    make(f);
    const e = await evaluateRun({ truthDir: f.truth, runDir: run(f), ks: [5] });
    expect(e.runDir.endsWith(join('runs', 'r1'))).toBe(true);
    expect(e.ranking.atK[0]!.hits).toBe(2);
  });

  it.each([
    { what: 'truth folder', opts: (f: Fixture) => ({ truthDir: join(f.root, 'nope'), runDir: f.run }), path: 'nope' },
    {
      what: 'run folder',
      opts: (f: Fixture) => ({ truthDir: f.truth, runDir: join(f.workspace, 'runs', 'gone') }),
      path: 'gone',
    },
    {
      what: 'latest pointing nowhere',
      opts: (f: Fixture) => (
        writeFileSync(join(f.workspace, 'latest'), 'r9'), { truthDir: f.truth, runDir: join(f.workspace, 'latest') }
      ),
      path: 'latest',
    },
    {
      what: 'members.csv',
      opts: (f: Fixture) => (rmSync(join(f.run, 'members.csv')), { truthDir: f.truth, runDir: f.run }),
      path: 'members.csv',
    },
  ])('names the path when the $what is missing', async ({ opts, path }) => {
    const f = fixture();
    await expect(evaluateRun(opts(f))).rejects.toThrow(path);
  });

  it('names a missing required column', async () => {
    const f = fixture({ cases: cases.map((r) => r.slice(1)) });
    await expect(evaluateRun({ truthDir: f.truth, runDir: f.run })).rejects.toThrow(/cases\.csv.*rank/);
  });
});

describe('formatEvaluation', () => {
  it('prints one aligned row per K and both pairwise scopes', async () => {
    const text = formatEvaluation(await evaluation);
    const rows = text.split('\n').filter((l) => /^(1|2|3|5|10)\s/.test(l));
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
    expect(rows[3]).toMatch(/^5\s+5\s+2\s+40,0%\s+0,67\s+1\s+1\s+2\s+0\s+0,0\s+0,0\s+93,8%\s+100,0%\s+93,8%$/);
    expect(text).toMatch(/all sources\s+16\s+9\s+2\s+2\s+50,0%\s+40,0%\s+0,444/);
    expect(text).toMatch(
      /identity \(taxpayers, platform_sellers, websites\)\s+9\s+6\s+0\s+0\s+100,0%\s+100,0%\s+1,000/,
    );
  });

  it('leaves no file behind except where asked', async () => {
    expect(existsSync(join(base.run, 'evaluation.json'))).toBe(false);
  });
});
