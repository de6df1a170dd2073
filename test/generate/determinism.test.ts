import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { generateWorld } from '../../engine/generate/index.js';
import { createLogger } from '../../engine/log.js';
import { UsageError } from '../../engine/errors.js';
import { readCsv } from './read-csv.js';

const made: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'sangloc-gen-'));
  made.push(d);
  return d;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Every file under a folder, relative path → bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out.set(rel, readFileSync(join(dir, rel)));
    }
  };
  walk('');
  return out;
}

describe('determinism', () => {
  it('writes byte-identical files for the same seed, different ones for another seed', async () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    await generateWorld({ persons: 400, seed: 11, outDir: a });
    await generateWorld({ persons: 400, seed: 11, outDir: b });
    await generateWorld({ persons: 400, seed: 12, outDir: c });
    const sa = snapshot(a);
    const sb = snapshot(b);
    const sc = snapshot(c);
    expect([...sa.keys()].sort()).toEqual([...sb.keys()].sort());
    for (const [file, bytes] of sa) expect(bytes.equals(sb.get(file)!), file).toBe(true);
    expect(sa.get('taxpayers.csv')!.equals(sc.get('taxpayers.csv')!)).toBe(false);
    expect(sa.get('truth/persons.csv')!.equals(sc.get('truth/persons.csv')!)).toBe(false);
  });

  it.each([
    { taxYear: 2025, withheldFrom: '2025-07' },
    { taxYear: 2026, withheldFrom: '2026-01' },
  ])('withholds platform tax from $withheldFrom in tax year $taxYear', async ({ taxYear, withheldFrom }) => {
    const d = tmp();
    await generateWorld({ persons: 300, seed: 5, outDir: d, taxYear });
    const withheld = readCsv(join(d, 'platform_sellers.csv')).records.map((r) => ({
      period: r.period!,
      tax: r.tax_withheld!,
    }));
    expect(withheld.some((w) => Number(w.tax) > 0)).toBe(true);
    expect(withheld.filter((w) => Number(w.tax) > 0 && w.period < withheldFrom)).toEqual([]);
    expect(withheld.every((w) => w.period.startsWith(String(taxYear)))).toBe(true);
  });

  it('replaces an earlier generated world but refuses a folder holding someone else’s delivery', async () => {
    const d = tmp();
    await generateWorld({ persons: 50, seed: 1, outDir: d });
    await generateWorld({ persons: 60, seed: 2, outDir: d });
    expect(JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')).persons).toBe(60);
    const foreign = tmp();
    writeFileSync(join(foreign, 'taxpayers.csv'), 'tax_id,name\n');
    await expect(generateWorld({ persons: 10, seed: 1, outDir: foreign })).rejects.toBeInstanceOf(UsageError);
    expect(readFileSync(join(foreign, 'taxpayers.csv'), 'utf8')).toBe('tax_id,name\n');
  });

  it.each([
    { persons: 0, seed: 1 },
    { persons: 10, seed: -1 },
    { persons: 1.5, seed: 1 },
  ])('rejects persons=$persons seed=$seed', async ({ persons, seed }) => {
    await expect(generateWorld({ persons, seed, outDir: tmp() })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('streaming', () => {
  it('generates 3,000 persons with flat memory', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const samples: { persons: number; heap: number }[] = [];
    const logger = createLogger({
      write: (line) => {
        const m = /(\d+)\/3000 persons/.exec(line);
        if (!m) return;
        const persons = Number(m[1]);
        // Measure once early and at the end (a full GC each time).
        if (persons !== 3000 && (persons < 500 || samples.length > 0)) return;
        gc();
        samples.push({ persons, heap: process.memoryUsage().heapUsed });
      },
    });
    const d = tmp();
    const summary = await generateWorld({ persons: 3000, seed: 3, outDir: d, logger, progressMs: 0 });
    const rows = Object.values(summary.sources).reduce((a, b) => a + b, 0);
    expect(rows).toBeGreaterThan(150_000);
    expect(existsSync(join(d, 'truth/records.csv'))).toBe(true);
    const early = samples.find((s) => s.persons >= 500)!;
    const late = samples[samples.length - 1]!;
    expect(late.persons).toBe(3000);
    // Holding the rows would grow the heap by tens of MB between these points.
    expect((late.heap - early.heap) / 1e6).toBeLessThan(12);
  });
});
