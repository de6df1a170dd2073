import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld } from '../../engine/generate/index.js';
import { packageRoot } from '../../engine/paths.js';

const samples = join(packageRoot, 'data-samples');
const out = mkdtempSync(join(tmpdir(), 'sangloc-samples-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const generatedFiles = (dir: string) => [
  ...readdirSync(dir).filter((f) => f.endsWith('.csv') || f === 'manifest.json'),
  ...readdirSync(join(dir, 'truth')).map((f) => `truth/${f}`),
];

describe('data-samples', () => {
  it('matches what the generator writes for 500 persons, seed 42, tax year 2025 (see data-samples/README.md)', async () => {
    const manifest = JSON.parse(readFileSync(join(samples, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ persons: 500, seed: 42, tax_year: 2025 });
    await generateWorld({ persons: 500, seed: 42, outDir: out, taxYear: 2025 });
    const committed = generatedFiles(samples).sort();
    expect(generatedFiles(out).sort()).toEqual(committed);
    const stale = committed.filter((f) => !readFileSync(join(samples, f)).equals(readFileSync(join(out, f))));
    expect(stale, 'regenerate data-samples with the command in data-samples/README.md').toEqual([]);
  });
});
