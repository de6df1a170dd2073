import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDelivery } from '../../engine/ingest/load.js';
import type { SourceIngestConfig } from '../../engine/ingest/options.js';
import type { SourceName } from '../../engine/ingest/sources.js';
import { silentLogger } from '../../engine/log.js';
import { packageRoot } from '../../engine/paths.js';
import { ident } from '../../engine/warehouse/db.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const corpus = join(packageRoot, 'test', 'fixtures', 'bad-input');

interface Row {
  line: number | null;
  column: string | null;
  value?: string;
  reason: string;
}

interface Case {
  file: string;
  source: SourceName;
  case: string;
  status: 'loaded' | 'failed' | 'rejected';
  read?: number;
  loaded?: number;
  rejected?: number;
  warned?: number;
  message?: string;
  rejects?: Row[];
  warnings?: Row[];
  /** Values that reach raw_ as delivered: by line and column, the exact text or its length. */
  kept?: { line: number; column: string; value?: string; length?: number }[];
  extraColumns?: string;
  config?: SourceIngestConfig;
  generate?: { token: string; char: string; times: number };
  /** How the CSV must be read: what the head or a sep= line says (checked field by field). */
  dialect?: Record<string, string | number>;
  /** Settings the load finds that the config lacks (what `sangloc check` suggests), exactly. */
  fix?: Record<string, string>;
}

const { cases } = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as { cases: Case[] };

function content(c: Case): Buffer {
  const bytes = readFileSync(join(corpus, c.file));
  if (!c.generate) return bytes;
  const at = bytes.indexOf(c.generate.token);
  return Buffer.concat([
    bytes.subarray(0, at),
    Buffer.alloc(c.generate.times, c.generate.char),
    bytes.subarray(at + c.generate.token.length),
  ]);
}

function expectRows(got: Row[], expected: Row[]) {
  expect(got.map((r) => [r.line, r.column])).toEqual(expected.map((r) => [r.line, r.column]));
  expected.forEach((e, k) => {
    expect(got[k]!.reason).toContain(e.reason);
    if (e.value !== undefined) expect(got[k]!.value).toBe(e.value);
  });
}

describe('bad-input corpus (test/fixtures/bad-input/expected.json): every row is loaded or rejected with a reason', () => {
  it('covers every file of the corpus', () => {
    // workbooks.json: the workbook cases, built at test time (bad-input-xlsx.test.ts)
    const files = readdirSync(corpus).filter((f) => f !== 'expected.json' && f !== 'workbooks.json');
    expect(new Set(cases.map((c) => c.file))).toEqual(new Set(files));
  });

  it.each(cases)('$file as $source: $case', async (c) => {
    const root = tempDir();
    const dir = writeFiles(join(root, 'delivery'), { [`${c.source}.csv`]: content(c) });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, {
        runId: 'r1',
        log: silentLogger(),
        ingest: c.config && { sources: { [c.source]: c.config } },
        tmpDir: root,
      });
      const f = s.files[0]!;
      expect(f.status).toBe(c.status);
      if (c.dialect) expect({ ...f.reading?.dialect?.dialect, how: f.reading?.dialect?.how }).toMatchObject(c.dialect);
      if (c.fix || c.config) expect(f.reading?.fix).toEqual(c.fix ?? {});
      if (c.status === 'failed') {
        expect(f.message).toContain(`${c.source}.csv`);
        expect(f.message).toContain(c.message);
        expect(await db.value(`select count(*)::int from ${ident(`raw_${c.source}`)}`)).toBe(0);
        expect(await db.value(`select reason from rejects where file = $f`, { f: `${c.source}.csv` })).toContain(
          c.message,
        );
        return;
      }
      expect({ read: f.rowsRead, loaded: f.rowsLoaded, rejected: f.rowsRejected, warned: f.rowsWarned }).toEqual({
        read: c.read,
        loaded: c.loaded,
        rejected: c.rejected,
        warned: c.warned ?? 0,
      });
      expect(await db.value(`select count(*)::int from ${ident(`raw_${c.source}`)}`)).toBe(c.loaded);
      expectRows(await db.all<Row>(`select line, "column", value, reason from rejects order by line`), c.rejects ?? []);
      expectRows(
        await db.all<Row>(`select line, "column", value, reason from ingest_warnings order by line, "column"`),
        c.warnings ?? [],
      );
      for (const k of c.kept ?? []) {
        const v = await db.value<string>(
          `select ${ident(k.column)} from ${ident(`raw_${c.source}`)} where _line = $l`,
          { l: k.line },
        );
        if (k.value !== undefined) expect(v).toBe(k.value);
        if (k.length !== undefined) expect(v.length).toBe(k.length);
      }
      if (c.extraColumns) expect(await db.value(`select extra_columns from ingest_files`)).toBe(c.extraColumns);
    });
  });
});
