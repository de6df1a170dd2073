/** Every query goes through `Db` (engine/warehouse/db.ts): nothing else talks to DuckDB's client. */
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from './imports.js';

const door = 'engine/warehouse/db.ts';
const duckdbClient = (specifier: string) => specifier.startsWith('@duckdb/');

describe('the DuckDB door', () => {
  it.each(['engine', 'test', 'bench'])('no file under %s/ but the door imports the DuckDB client', (dir) => {
    const offenders = sourceFiles(dir)
      .filter((f) => f.file !== door && f.imports.some((i) => duckdbClient(i.specifier)))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });

  it('the door itself does (so the check above reads imports at all)', () => {
    expect(importsOf(door).some((i) => duckdbClient(i.specifier))).toBe(true);
  });

  it.each([
    `import { DuckDBInstance } from '@duckdb/node-api';`,
    `import type { DuckDBValue } from '@duckdb/node-api';`,
    `const m = await import('@duckdb/node-api');`,
  ])('sees %s', (text) => {
    expect(importsOf('engine/x.ts', text).some((i) => duckdbClient(i.specifier))).toBe(true);
  });
});
