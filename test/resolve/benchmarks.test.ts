/**
 * Public record-linkage benchmarks with ground truth (../shared/er-data: FEBRL 1–4, Splink's
 * fake_1000), linked with the specs of examples/link/ through `linkFiles`, scored pairwise
 * (every pair inside a predicted cluster; cross-file pairs only for FEBRL 4).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkFiles, readLinkSpec, type LinkFileList } from '../../engine/resolve/link-files.js';
import { pairwiseQuality } from '../../engine/resolve/quality.js';

/** The data folder: SANGLOC_ER_DATA, or `shared/er-data` beside the repository (or its worktree folder). */
function erData(): string {
  const candidates = [
    process.env.SANGLOC_ER_DATA,
    resolve('..', 'shared', 'er-data'),
    resolve('..', '..', 'shared', 'er-data'),
  ];
  const found = candidates.find((d) => d && existsSync(join(d, 'SHA256SUMS')));
  if (!found)
    throw new Error('benchmark data not found: set SANGLOC_ER_DATA to the er-data folder (FEBRL 1–4, fake_1000)');
  return found;
}

const readCsv = (file: string) => {
  const [header, ...rows] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map((c) => c.trim()));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
};

const febrlEntity = (id: string) => /^rec-(\d+)/.exec(id)![1]!;

/** Links `files` with `spec` and scores the clusters against `entity(id)`. */
async function measure(spec: string, files: LinkFileList, entity: (id: string) => string) {
  const out = mkdtempSync(join(tmpdir(), 'sangloc-bench-'));
  await linkFiles({ files, spec: readLinkSpec(spec), specSource: spec, outDir: out, seed: 1 });
  const names = files.map((f) => f.split('/').pop());
  const clusters = readCsv(join(out, 'clusters.csv'));
  expect(clusters.length).toBeGreaterThan(0);
  return pairwiseQuality(
    clusters.map((c) => ({ cluster: c.cluster_id!, entity: entity(c.id!), file: names.indexOf(c.file!) })),
    files.length === 2,
  );
}

describe('benchmarks with ground truth', () => {
  const data = erData();
  it.each([
    { name: 'FEBRL 1', spec: 'examples/link/febrl.json', files: ['febrl/dataset1.csv'], truePairs: 500 },
    { name: 'FEBRL 2', spec: 'examples/link/febrl.json', files: ['febrl/dataset2.csv'], truePairs: 1934 },
    { name: 'FEBRL 3', spec: 'examples/link/febrl.json', files: ['febrl/dataset3.csv'], truePairs: 6538 },
    {
      name: 'FEBRL 4',
      spec: 'examples/link/febrl4.json',
      files: ['febrl/dataset4a.csv', 'febrl/dataset4b.csv'],
      truePairs: 5000,
    },
  ])(
    '$name: pairwise F1 ≥ 0.999',
    async ({ spec, files, truePairs }) => {
      const q = await measure(spec, files.map((f) => join(data, f)) as unknown as LinkFileList, febrlEntity);
      expect(q.truePairs).toBe(truePairs);
      expect(q.f1).toBeGreaterThanOrEqual(0.999);
    },
    60_000,
  );

  it('Splink fake_1000: pairwise F1 ≥ 0.90', async () => {
    const file = join(data, 'splink_fake_1000', 'fake_1000.csv');
    const cluster = new Map(readCsv(file).map((r) => [r.unique_id!, r.cluster!]));
    const q = await measure('examples/link/fake_1000.json', [file], (id) => cluster.get(id)!);
    expect(q.truePairs).toBe(2031);
    expect(q.f1).toBeGreaterThanOrEqual(0.9);
  }, 60_000);
});
