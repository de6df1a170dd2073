/**
 * The generator's truth is its own: engine/generate, and everything it imports down the line, stays
 * inside the files allowed below. The engine's scoring, tax, features, resolve and normalise code
 * are out, so truth/ is never the engine grading itself.
 */
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importsOf, tsFiles, type Import } from '../architecture/imports.js';

/** Files outside engine/generate the generator may reach, and why each carries no truth. */
const allowed: Record<string, string> = {
  'engine/errors.ts': 'error classes (UsageError for bad flags)',
  'engine/log.ts': 'progress lines on stderr',
  'engine/format.ts': 'number and date formats of the lines people read',
  'engine/ingest/sources.ts':
    'the input contract as data: file names and column order of what it writes; computes nothing',
};

const inGenerator = (file: string) => file.startsWith('engine/generate/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

/** Every import reached from `roots` (files read from disk), with the file importing it. */
function reach(
  roots: string[],
  read: (file: string) => Import[] = (f) => importsOf(f),
): { from: string; to: Import }[] {
  const seen = new Set(roots);
  const queue = [...roots];
  const edges: { from: string; to: Import }[] = [];
  while (queue.length) {
    const from = queue.shift()!;
    for (const to of read(from)) {
      edges.push({ from, to });
      if (to.file && !seen.has(to.file)) {
        seen.add(to.file);
        queue.push(to.file);
      }
    }
  }
  return edges;
}

/** The imports that break the boundary, as 'importer → imported'. */
function violations(edges: { from: string; to: Import }[]): string[] {
  return edges
    .filter(({ to }) => (to.file ? !inGenerator(to.file) && !(to.file in allowed) : !isBuiltin(to.specifier)))
    .map(({ from, to }) => `${from} → ${to.file ?? to.specifier}`);
}

describe('the generator boundary', () => {
  const roots = tsFiles('engine/generate');

  it('engine/generate reaches nothing of the engine but generic utilities and the contract', () => {
    expect(roots.length).toBeGreaterThan(5);
    expect(violations(reach(roots))).toEqual([]);
  });

  it('follows imports down the line (so the check above reads them at all)', () => {
    const reached = new Set(reach(roots).map((e) => e.to.file ?? e.to.specifier));
    expect(reached).toContain('engine/generate/tax.ts');
    expect(reached).toContain('engine/ingest/sources.ts');
    expect(reached).toContain('node:fs');
  });

  it.each([
    {
      name: 'the engine’s tax rules',
      text: `import { taxDue } from '../config/tax-rules.js';`,
      expected: ['engine/generate/x.ts → engine/config/tax-rules.ts'],
    },
    {
      name: 'a scoring rule, type only',
      text: `import type { Rule } from '../score/types.js';`,
      expected: ['engine/generate/x.ts → engine/score/types.ts'],
    },
    {
      name: 'a package',
      text: `import stats from 'simple-statistics';`,
      expected: ['engine/generate/x.ts → simple-statistics'],
    },
    { name: 'node builtins', text: `import { join } from 'node:path';\nimport { once } from 'events';`, expected: [] },
  ])('refuses $name / allows what is allowed', ({ text, expected }) => {
    const read = (f: string) => (f === 'engine/generate/x.ts' ? importsOf(f, text) : []);
    expect(violations(reach(['engine/generate/x.ts'], read))).toEqual(expected);
  });

  it('refuses what an allowed file would bring in', () => {
    const read = (f: string): Import[] =>
      f === 'engine/generate/x.ts'
        ? [{ specifier: '../ingest/sources.js', file: 'engine/ingest/sources.ts' }]
        : f === 'engine/ingest/sources.ts'
          ? [{ specifier: '../normalize/name.js', file: 'engine/normalize/name.ts' }]
          : [];
    expect(violations(reach(['engine/generate/x.ts'], read))).toEqual([
      'engine/ingest/sources.ts → engine/normalize/name.ts',
    ]);
  });
});
