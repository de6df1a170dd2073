/**
 * `sangloc link --labels`, the report, reading files that are not UTF-8, and the warnings on
 * weights (degenerate estimation, inverted and unseen levels) and on columns one file lacks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sweep } from '../../engine/resolve/labels.js';
import { linkFiles } from '../../engine/resolve/link-files.js';
import { normalizeLinkSpec, type LinkSpec } from '../../engine/resolve/spec.js';
import { mFromCounts, smoothUnseenLevels, weightWarnings, type LinkWeights } from '../../engine/resolve/weights.js';
import { tempDir, writeFiles } from '../helpers.js';

const dir = tempDir('sangloc-link-labels-');

const people = [
  'id,name,city',
  '1,Nguyễn Văn Hùng,Hà Nội',
  '2,Nguyen Van Hung,Ha Noi',
  '3,Nguyễn Văn Hưng,Hà Nội',
  '4,Trần Thị Mai,Huế',
  '5,Tran Thi Mai,Hue',
  '6,Lê Văn Tám,Huế',
].join('\n');

const spec: LinkSpec = {
  unique_id: 'id',
  fields: { name: { normalize: 'name' }, city: { normalize: 'name' } },
  comparisons: [
    {
      name: 'name',
      field: 'name',
      levels: [
        { kind: 'exact', m: 0.8, u: 0.01 },
        { kind: 'jaro_winkler', min: 0.9, m: 0.15, u: 0.05 },
      ],
    },
    { name: 'city', field: 'city', levels: [{ kind: 'exact', m: 0.9, u: 0.3 }] },
  ],
  blocking: [{ fields: ['city'] }],
  prior: { match_probability: 0.2 },
  threshold: { match_probability: 0.5 },
  clustering: { method: 'components' },
};

async function run(
  files: Record<string, string | Buffer>,
  o: { labels?: string; read?: { encoding?: string; delimiter?: string }; spec?: LinkSpec; mFromLabels?: boolean } = {},
) {
  const sub = writeFiles(join(dir, String(Math.random()).slice(2)), files);
  const inputs = Object.keys(files)
    .filter((f) => f !== 'labels.csv')
    .map((f) => join(sub, f)) as [string] | [string, string];
  return linkFiles({
    files: inputs,
    spec: normalizeLinkSpec(o.spec ?? spec),
    specSource: 'spec',
    outDir: join(sub, 'out'),
    seed: 1,
    ...(o.labels ? { labels: join(sub, o.labels) } : {}),
    ...(o.read ? { read: o.read } : {}),
    ...(o.mFromLabels ? { mFromLabels: true } : {}),
  });
}

describe('sweep', () => {
  it('counts precision and recall at every threshold; pairs that are not candidates are never predicted', () => {
    const s = sweep(Float64Array.of(9, 5, 1, NaN), Uint8Array.of(1, 0, 1, 1), 3, 5, [0, 10]);
    expect(s.atThreshold).toMatchObject({ predicted: 2, correct: 1, precision: 0.5 });
    expect(s.atThreshold.recall).toBeCloseTo(1 / 3);
    expect(s.table.map((p) => p.predicted)).toEqual([3, 0]);
    expect(s.best.weight).toBe(1);
    expect(s.curve.map((p) => p.weight)).toEqual([9, 5, 1]);
  });
});

describe('sangloc link --labels', () => {
  it.each([
    { name: 'labelled pairs', labels: 'left_id,right_id,match\n1,2,1\n1,3,0\n4,5,1\n4,6,0\n' },
    { name: 'entities', labels: 'id,cluster\n1,a\n2,a\n3,b\n4,c\n5,c\n6,d\n' },
  ])('measures against $name and writes the report', async ({ labels }) => {
    const r = await run({ 'people.csv': people, 'labels.csv': labels }, { labels: 'labels.csv' });
    expect(r.quality!.positives).toBe(2);
    expect(r.quality!.sweep).toHaveLength(9);
    // 1–3 (Hùng / Hưng) is a near miss the name level links: one false pair at the threshold.
    expect(r.quality!.atThreshold).toMatchObject({ correct: 2 });
    const html = readFileSync(r.outputs.report, 'utf8');
    expect(html).toContain('Precision–recall curve');
    expect(html).toContain('Waterfall of weights');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('counts m on the labelled matches with --m-from-labels', async () => {
    const free: LinkSpec = {
      ...spec,
      comparisons: [
        { name: 'name', field: 'name', levels: [{ kind: 'exact' }, { kind: 'jaro_winkler', min: 0.9 }] },
        spec.comparisons[1]!,
      ],
    };
    const labels = 'left_id,right_id,match\n1,2,1\n4,5,1\n1,3,0\n';
    const r = await run(
      { 'people.csv': people, 'labels.csv': labels },
      { labels: 'labels.csv', spec: free, mFromLabels: true },
    );
    const name = r.weights.comparisons[0]!.levels;
    // Both labelled matches agree exactly once cleaned: (2 + 0.5) / (2 + 0.5 + 0.5 + 0.5).
    expect(name.map((l) => l.m_source)).toEqual(['none', 'labels', 'labels', 'labels']);
    expect(name[1]!.m).toBeCloseTo(2.5 / 3.5);
    expect(r.weights.comparisons[1]!.levels[1]!.m_source).toBe('fixed');
  });

  it.each([
    {
      counts: [3, 8, 1, 0],
      fixed: [undefined, undefined, undefined, undefined],
      m: [undefined, 8.5 / 10.5, 1.5 / 10.5, 0.5 / 10.5],
    },
    { counts: [0, 4, 0], fixed: [undefined, undefined, 0.2], m: [undefined, 0.8, 0.2] },
  ])('mFromCounts($counts)', ({ counts, fixed, m }) => {
    const got = mFromCounts(counts, fixed);
    got.forEach((v, i) => (m[i] === undefined ? expect(v).toBeUndefined() : expect(v).toBeCloseTo(m[i]!)));
  });

  it('refuses a labels file it cannot read, naming the columns it expects', async () => {
    await expect(run({ 'people.csv': people, 'labels.csv': 'a,b\n1,2\n' }, { labels: 'labels.csv' })).rejects.toThrow(
      /expected pair columns \(left_id, right_id, match/,
    );
  });
});

describe('reading files', () => {
  const latin = iconv.encode(
    'id;name;city\n1;José Müller;Zürich\n2;Jose Muller;Zurich\n3;Ana Gómez;Sevilla\n',
    'latin1',
  );
  const latinSpec: LinkSpec = { ...spec, fields: { name: { normalize: 'name' }, city: { normalize: 'name' } } };

  it('refuses a file that is not UTF-8, naming the line and the option', async () => {
    await expect(run({ 'people.csv': latin }, { spec: latinSpec })).rejects.toThrow(
      /people\.csv:2: the file is not UTF-8 \(invalid bytes on line 2, 4\); name its encoding, e\.g\. `--encoding windows-1258`/,
    );
  });

  it('reads it with the encoding and delimiter given', async () => {
    const r = await run({ 'people.csv': latin }, { spec: latinSpec, read: { encoding: 'latin1', delimiter: ';' } });
    expect(r.links).toBe(1);
  });

  it("warns when one file lacks a field's column", async () => {
    const r = await run({ 'a.csv': people, 'b.csv': 'id,name\n9,Nguyen Van Hung\n' });
    expect(r.warnings.join('\n')).toMatch(/field "city": b\.csv has no column "city"/);
    expect(r.warnings.join('\n')).toMatch(/blocking rule 1 \(city\) makes no candidate pairs/);
  });
});

describe('weight warnings', () => {
  const weights = (
    levels: Array<{ kind: string; m: number; u: number; u_count: number }>,
    lambda = 0.2,
  ): LinkWeights => ({
    prior: 1e-4,
    prior_source: 'estimated',
    lambda_candidates: lambda,
    candidate_pairs: 358,
    total_pairs: 1e8,
    u_pairs: 1e6,
    em_sessions: [],
    comparisons: [
      {
        name: 'title',
        field: 'title',
        levels: levels.map((l) => ({
          label: l.kind,
          ...l,
          weight: l.kind === 'null' ? 0 : Math.log2(l.m / l.u),
          m_source: 'em' as const,
          u_source: l.kind === 'null' ? ('none' as const) : ('sampled' as const),
        })),
      },
    ],
  });

  it('says when estimation is degenerate and when a weaker level weighs more', () => {
    const w = weights(
      [
        { kind: 'null', m: 1, u: 1, u_count: 0 },
        { kind: 'exact', m: 0.2, u: 0.001, u_count: 1000 },
        { kind: 'jaccard', m: 0.7, u: 0.0005, u_count: 500 },
        { kind: 'else', m: 0.1, u: 0.9985, u_count: 998500 },
      ],
      3e-5,
    );
    const text = weightWarnings(w).join('\n');
    expect(text).toMatch(/estimation looks degenerate: EM finds 0,003 % matches among 358 candidate pairs/);
    expect(text).toMatch(
      /comparison "title": level "jaccard" weighs 10,5 bits, more than "exact" \(7,6\): inverted weights/,
    );
  });

  it('caps a level never seen among random pairs at the weight of the level above', () => {
    const w = weights([
      { kind: 'null', m: 1, u: 1, u_count: 0 },
      { kind: 'exact', m: 0.5, u: 0.01, u_count: 100 },
      { kind: 'jaro_winkler', m: 0.3, u: 0.5e-6, u_count: 0 },
      { kind: 'else', m: 0.2, u: 0.99, u_count: 9900 },
    ]);
    smoothUnseenLevels(w.comparisons);
    const l = w.comparisons[0]!.levels[2]!;
    expect(l.u_source).toBe('smoothed');
    expect(l.weight).toBeCloseTo(Math.log2(0.5 / 0.01));
    expect(Math.log2(l.m / l.u)).toBeCloseTo(l.weight);
    expect(weightWarnings(w).join('\n')).toMatch(/level\(s\) "jaro_winkler" never seen among 1000000 random pairs/);
  });
});
