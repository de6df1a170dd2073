/**
 * Folders of engine/ import one way only: no folder reaches itself through imports (types
 * included). Files directly under engine/ (run.ts, errors.ts, log.ts …) count one by one.
 */
import { describe, expect, it } from 'vitest';
import { cycles, sourceFiles, unitGraph, type SourceFile } from './imports.js';

/** Each cycle as its units plus the imports that close it, e.g. 'engine/diff → engine/publish: engine/diff/index.ts → …'. */
function explain(graph: Map<string, Map<string, string>>, component: string[]): string[] {
  const inside = new Set(component);
  const lines: string[] = [];
  for (const from of component)
    for (const [to, via] of graph.get(from) ?? []) if (inside.has(to)) lines.push(`${from} → ${to}: ${via}`);
  return lines;
}

const file = (path: string, ...imports: string[]): SourceFile => ({
  file: path,
  imports: imports.map((i) => ({ specifier: i, file: i })),
});

describe('folder cycles', () => {
  it('engine/ has none', () => {
    const graph = unitGraph(sourceFiles('engine'));
    expect(cycles(graph).map((c) => explain(graph, c))).toEqual([]);
  });

  it('the graph holds the folders (so the check above sees imports at all)', () => {
    const graph = unitGraph(sourceFiles('engine'));
    expect(graph.get('engine/publish')?.has('engine/diff')).toBe(true);
    expect(graph.get('engine/ingest')?.has('engine/warehouse')).toBe(true);
    expect(graph.get('engine/run.ts')?.has('engine/publish')).toBe(true);
  });

  it.each([
    {
      name: 'two folders',
      files: [file('engine/a/x.ts', 'engine/b/y.ts'), file('engine/b/y.ts', 'engine/a/z.ts')],
      expected: [['engine/a', 'engine/b']],
    },
    {
      name: 'three folders',
      files: [
        file('engine/a/x.ts', 'engine/b/y.ts'),
        file('engine/b/y.ts', 'engine/c/z.ts'),
        file('engine/c/z.ts', 'engine/a/w.ts'),
      ],
      expected: [['engine/a', 'engine/b', 'engine/c']],
    },
    {
      name: 'a root file and a folder',
      files: [file('engine/run.ts', 'engine/a/x.ts'), file('engine/a/x.ts', 'engine/run.ts')],
      expected: [['engine/a', 'engine/run.ts']],
    },
    {
      name: 'one way only',
      files: [file('engine/a/x.ts', 'engine/b/y.ts', 'engine/errors.ts'), file('engine/b/y.ts', 'engine/errors.ts')],
      expected: [],
    },
    {
      name: 'within one folder',
      files: [file('engine/a/x.ts', 'engine/a/y.ts'), file('engine/a/y.ts', 'engine/a/x.ts')],
      expected: [],
    },
  ])('finds the cycles of $name', ({ files, expected }) => {
    expect(cycles(unitGraph(files))).toEqual(expected);
  });
});
