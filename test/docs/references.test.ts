/**
 * The repository's documents are self-contained: nothing points at the briefing files that lived
 * outside it (the old contract, domain, design and style notes, now docs/contract.md, docs/domain.md
 * and docs/architecture.md), and every link to a document resolves to a file that exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const self = relative(root, fileURLToPath(import.meta.url));

/** Folders that hold no hand-written text: installs, builds, workspaces, generated output. */
const skippedDirs = new Set(['node_modules', 'dist', '.git', 'workspace', 'out', '.tmp', 'results', 'example']);
const textFile = /\.(ts|js|mjs|cjs|md|sql|json|sh|py|html|yml|yaml)$|^run$/;

function listTextFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) {
      if (!skippedDirs.has(name)) listTextFiles(path, out);
    } else if (textFile.test(name) && st.size < 2_000_000) {
      out.push(relative(root, path));
    }
  }
  return out;
}

const files = listTextFiles(root).filter((f) => f !== self);

/** The briefing files the repo used to cite; spelled in pieces so this test does not match itself. */
const outside = ['CONTRACT', 'DOMAIN', 'DESIGN', 'STYLE'].map((n) => `${n}.md`);

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Every `[text](target)` in a Markdown file whose target is a relative path. */
function relativeLinks(text: string): { target: string; index: number }[] {
  const out: { target: string; index: number }[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    out.push({ target: target.replace(/#.*$/, ''), index: m.index });
  }
  return out;
}

describe('documents are self-contained', () => {
  it('walks the repository', () => {
    // A walk that found nothing would pass every check below.
    expect(files).toContain('README.md');
    expect(files).toContain('engine/ingest/sources.ts');
    expect(files.length).toBeGreaterThan(100);
  });

  it('no file refers to the briefing files outside the repository', () => {
    const found: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const name of outside) {
        for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
          found.push(
            `${f}:${lineOf(text, i)} cites ${name}; point it at docs/contract.md, docs/domain.md or docs/architecture.md`,
          );
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('every docs/<name>.md named in code, help texts and documents exists', () => {
    const missing: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const m of text.matchAll(/(?<![\w./-])docs\/[\w.-]+\.md\b/g)) {
        if (!existsSync(join(root, m[0])))
          missing.push(`${f}:${lineOf(text, m.index)} names ${m[0]}, which does not exist`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every relative link in a Markdown file resolves', () => {
    const broken: string[] = [];
    for (const f of files.filter((x) => x.endsWith('.md'))) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const { target, index } of relativeLinks(text)) {
        if (target && !existsSync(resolve(root, dirname(f), decodeURIComponent(target)))) {
          broken.push(`${f}:${lineOf(text, index)} links to ${target}, which does not exist`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
