import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeHeader } from '../../engine/ingest/headers.js';
import { sources } from '../../engine/ingest/sources.js';
import { valueSynonyms } from '../../engine/ingest/values.js';
import { packageRoot } from '../../engine/paths.js';

describe('field shapes read in the contract form (engine/ingest/values.ts)', () => {
  const enumerated = new Set(Object.values(sources).flatMap((s) => s.columns.flatMap((c) => c.values ?? [])));

  it('every shape names a value of some enumeration, and no shape reads as two values', () => {
    const seen = new Map<string, string>();
    for (const [value, shapes] of Object.entries(valueSynonyms)) {
      expect(enumerated.has(value), value).toBe(true);
      for (const shape of shapes) {
        const n = normalizeHeader(shape);
        expect(seen.get(n) ?? value, `${shape} reads as ${seen.get(n)} and ${value}`).toBe(value);
        seen.set(n, value);
        // A shape is never a contract value of another column (it would be read as that one).
        expect(enumerated.has(n) && n !== value, shape).toBe(false);
      }
    }
  });

  it('docs/contract.md lists every shape', () => {
    const doc = readFileSync(join(packageRoot, 'docs', 'contract.md'), 'utf8');
    const section = doc.slice(doc.indexOf("### Values read in the contract's form"));
    for (const shapes of Object.values(valueSynonyms))
      for (const shape of shapes) if (shape.length > 2) expect(section, shape).toContain(shape);
  });
});
