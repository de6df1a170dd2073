/**
 * The import graph of the sources, read with the TypeScript compiler's own pre-processor (every
 * `import`, `import type`, `export … from` and `import()`), for the architecture tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import ts from 'typescript';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface Import {
  /** As written, e.g. '../warehouse/db.js' or 'node:fs'. */
  specifier: string;
  /** Repo-relative path of the imported .ts file, for relative imports. */
  file?: string;
}

export interface SourceFile {
  /** Repo-relative, with forward slashes, e.g. 'engine/run.ts'. */
  file: string;
  imports: Import[];
}

/** Every .ts file under `dir` (repo-relative), sorted. */
export function tsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(join(repoRoot, d), { withFileTypes: true })) {
      const p = posix.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** The imports of one source file (`text` overrides its content, for testing the tests). */
export function importsOf(file: string, text = readFileSync(join(repoRoot, file), 'utf8')): Import[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier }) => {
    if (!specifier.startsWith('.')) return { specifier };
    const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
    const resolved = existsSync(join(repoRoot, target))
      ? target
      : existsSync(join(repoRoot, target, 'index.ts'))
        ? `${target}/index.ts`
        : target;
    return { specifier, file: resolved };
  });
}

export function sourceFiles(dir: string): SourceFile[] {
  return tsFiles(dir).map((file) => ({ file, imports: importsOf(file) }));
}

/** The unit a file belongs to: its folder under engine/, or the file itself when directly under engine/. */
export function unitOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : file;
}

/** Edges between units, each with the first import that makes it (for the message). */
export function unitGraph(files: readonly SourceFile[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const f of files) {
    const from = unitOf(f.file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const i of f.imports) {
      if (!i.file?.startsWith('engine/')) continue;
      const to = unitOf(i.file);
      if (to !== from && !graph.get(from)!.has(to)) graph.get(from)!.set(to, `${f.file} → ${i.file}`);
    }
  }
  return graph;
}

/** Strongly connected components of more than one unit (Tarjan), each sorted; sorted by first unit. */
export function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}
