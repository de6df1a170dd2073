/**
 * docs/contract.md stays true to the code it describes: every source, column, required flag and
 * record key of engine/ingest/sources.ts, and every case-list column of engine/publish/case-row.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceNames, sources } from '../../engine/ingest/sources.js';
import { caseColumns } from '../../engine/publish/case-row.js';

const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/contract.md'), 'utf8');

/** The text of a `### <source> — …` section, up to the next heading. */
function section(source: string): string {
  const start = doc.indexOf(`\n### ${source} `);
  if (start < 0) return '';
  const next = doc.indexOf('\n#', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

/** Table rows of a section as [column names, rest of the row]. */
function rows(text: string): { names: string[]; row: string }[] {
  return text
    .split('\n')
    .filter((l) => /^\|\s*[^\s-]/.test(l) && !/^\|\s*column\s*\|/.test(l))
    .map((l) => ({
      names: l
        .split('|')[1]!
        .split(',')
        .map((n) => n.replace(/`/g, '').trim()),
      row: l,
    }));
}

describe('docs/contract.md matches engine/ingest/sources.ts', () => {
  it.each(sourceNames.map((s) => ({ source: s })))(
    '$source: every column, its required flag, key and record key',
    ({ source }) => {
      const spec = sources[source];
      const text = section(source);
      expect(text, `docs/contract.md has no "### ${source} …" section`).not.toBe('');
      const documented = rows(text);
      const byName = new Map(documented.flatMap((r) => r.names.map((n) => [n, r.row] as const)));
      expect([...byName.keys()].sort()).toEqual(spec.columns.map((c) => c.name).sort());
      for (const c of spec.columns) {
        expect(byName.get(c.name)!.includes('**required**'), `${source}.${c.name} required flag`).toBe(
          Boolean(c.required),
        );
        for (const v of c.values ?? [])
          expect(byName.get(c.name), `${source}.${c.name} lists ${v}`).toContain(`\`${v}\``);
      }
      expect(text).toContain(`Key \`${spec.key.join(', ')}\``);
      if (source !== 'outcomes' && source !== 'websites') expect(text).toContain(`record key \`${spec.recordKey}\``);
    },
  );
});

describe('docs/contract.md matches engine/publish/case-row.ts', () => {
  it('lists every case-list column, required ones first in file order', () => {
    const start = doc.indexOf('### The case-list columns');
    const text = doc.slice(start, doc.indexOf('\n### ', start + 1));
    const documented = rows(text).flatMap((r) => r.names.map((n) => n.replace(/\s*\(.*\)$/, '')));
    expect(documented).toEqual(caseColumns.map((c) => c.name));
    const required = caseColumns.filter((c) => c.required).length;
    expect(text).toContain(`The first ${required} columns are required`);
    expect(caseColumns.slice(0, required).every((c) => c.required)).toBe(true);
  });
});
