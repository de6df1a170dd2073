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
    const resolved = existsSync(join(repoRoot, target)) ? target : existsSync(join(repoRoot, target, 'index.ts')) ? `${target}/index.ts` : target;
    return { specifier, file: resolved };
  });
}

export function sourceFiles(dir: string): SourceFile[] {
  return tsFiles(dir).map((file) => ({ file, imports: importsOf(file) }));
}
