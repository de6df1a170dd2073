/**
 * Fuzzing the CSV loader (`loadDelivery` into an in-memory DuckDB) with random bytes, random
 * quoting (stray quotes, embedded new lines and commas), other encodings (UTF-16, latin1 /
 * Windows-1258 bytes) and ragged rows. It must never crash: a whole-file failure is an allowed,
 * reported outcome. For every file, rows read = loaded + rejected and the warehouse agrees with
 * the summary; for a well-formed file, rows read = the records it has.
 * Seeded and bounded (40 files per property; SANGLOC_FUZZ_RUNS / SANGLOC_FUZZ_SEED for longer
 * hunts) so the file runs in seconds.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDelivery, type FileLoad } from '../../engine/ingest/load.js';
import { sources, type SourceName } from '../../engine/ingest/sources.js';
import { silentLogger } from '../../engine/log.js';
import { openDb } from '../../engine/warehouse/db.js';
import { rawTable } from '../../engine/ingest/schema.js';
import { tempDir } from '../helpers.js';

const seed = Number(process.env.SANGLOC_FUZZ_SEED ?? 8_2026);
const numRuns = Number(process.env.SANGLOC_FUZZ_RUNS ?? 40);
const root = tempDir('sangloc-fuzz-');
let serial = 0;

/**
 * One warehouse per property (opening DuckDB per file would dominate the run time); each file
 * gets its own folder and is checked through its file_id. Content seen before is skipped by
 * design (same SHA-256), which the checks allow.
 */
async function withWarehouse(
  fn: (load: (source: SourceName, content: Buffer) => Promise<Outcome>) => Promise<void>,
): Promise<void> {
  const db = await openDb(':memory:');
  const seen = new Set<string>();
  try {
    await fn(async (source, content) => {
      const dir = join(root, `d${serial++}`);
      mkdirSync(dir);
      writeFileSync(join(dir, `${source}.csv`), content);
      try {
        const s = await loadDelivery(db, dir, { runId: 'fuzz', log: silentLogger() });
        expect(s.files).toHaveLength(1);
        const f = s.files[0]!;
        const sha = createHash('sha256').update(content).digest('hex');
        const again = seen.has(sha);
        seen.add(sha);
        const raw =
          (await db.value<number>(`select count(*)::bigint from ${rawTable(source)} where _file_id = $f`, {
            f: f.fileId ?? -1,
          })) ?? 0;
        const rejects =
          (await db.value<number>(`select count(*)::bigint from rejects where file_id = $f`, { f: f.fileId ?? -1 })) ??
          0;
        return { f, raw, rejects, again };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  } finally {
    db.close();
  }
}

interface Outcome {
  f: FileLoad;
  raw: number;
  rejects: number;
  /** The same bytes were loaded earlier in this property. */
  again: boolean;
}

/** Read, and every row rejected: such a file is recorded `rejected`, not `loaded`. */
const readNoneLoaded = (f: FileLoad) => f.rowsRead > 0 && f.rowsLoaded === 0;

/** The invariants every outcome must keep, well-formed input or not. */
function expectAccounted({ f, raw, rejects, again }: Outcome) {
  expect(f.rowsRead).toBe(f.rowsLoaded + f.rowsRejected);
  if (f.status === 'skipped') {
    expect(again).toBe(true);
    return;
  }
  expect(['loaded', 'rejected', 'failed']).toContain(f.status);
  if (f.status === 'loaded' || f.status === 'rejected') {
    expect(raw).toBe(f.rowsLoaded);
    expect(rejects).toBe(f.rowsRejected);
    // `rejected`: read, and every row of it rejected (a file lost as surely as a refused one)
    expect(f.status === 'rejected').toBe(readNoneLoaded(f));
  } else {
    // A whole-file failure: nothing half-loaded, one reject row that says why.
    expect(f.message).toBeTruthy();
    expect(raw).toBe(0);
    expect(rejects).toBe(1);
  }
}

// --- generators -------------------------------------------------------------------------------

/** Field text: plain, or with the characters that need quoting, or anything at all. */
const field = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789abcxyzĐđêơ -:'), maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'ab,"\n\r \'\\;\t'), maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }).map((s) => s.replace(/\0/g, '')) },
);

/** RFC 4180 quoting, applied when needed or at random. */
const render = (v: string, forceQuote: boolean) =>
  forceQuote || /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;

interface Table {
  source: SourceName;
  header: string[];
  rows: string[][];
  eol: '\n' | '\r\n';
  bom: boolean;
  trailingEol: boolean;
  quoteAll: boolean;
}

const sourceArb = fc.constantFrom<SourceName>('declarations', 'taxpayers', 'cod_shipments');

/** A well-formed table: the contract's columns in any order (maybe an extra one), N records. */
const table: fc.Arbitrary<Table> = sourceArb.chain((source) => {
  const names = sources[source].columns.map((c) => c.name);
  return fc
    .record({
      order: fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }),
      extra: fc.boolean(),
      upper: fc.boolean(),
      n: fc.integer({ min: 0, max: 30 }),
      eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
      bom: fc.boolean(),
      trailingEol: fc.boolean(),
      quoteAll: fc.boolean(),
    })
    .chain((r) => {
      const header = [...r.order, ...(r.extra ? ['ghi_chu'] : [])].map((h) => (r.upper ? h.toUpperCase() : h));
      return fc
        .array(fc.array(field, { minLength: header.length, maxLength: header.length }), {
          minLength: r.n,
          maxLength: r.n,
        })
        .map(
          (rows): Table => ({
            source,
            header,
            rows,
            eol: r.eol,
            bom: r.bom,
            trailingEol: r.trailingEol,
            quoteAll: r.quoteAll,
          }),
        );
    });
});

function csvText(t: Table): string {
  const lines = [t.header.join(','), ...t.rows.map((r) => r.map((v) => render(v, t.quoteAll)).join(','))];
  return (t.bom ? '\ufeff' : '') + lines.join(t.eol) + (t.trailingEol ? t.eol : '');
}

/**
 * A record whose fields are all empty is no row: one field ends up as a blank line, which CSV readers skip;
 * more are `,,,,` (Excel's lines below a table), which the loader skips and counts (`rowsEmpty`). Empty means
 * empty after SQL's trim, which takes spaces (not tabs or line breaks).
 */
const blankRecord = (r: string[]) => r.every((v) => /^ *$/.test(v));

// --- properties -------------------------------------------------------------------------------

describe('loadDelivery under fuzzing', () => {
  const opts = { seed, numRuns };

  it('well-formed files with any field text: rows read = records, read = loaded + rejected', async () => {
    await withWarehouse((loadOne) =>
      fc.assert(
        fc.asyncProperty(table, async (t) => {
          const out = await loadOne(t.source, Buffer.from(csvText(t), 'utf8'));
          expectAccounted(out);
          if (out.again) return;
          expect(out.f.status).toBe(readNoneLoaded(out.f) ? 'rejected' : 'loaded');
          expect(out.f.rowsRead).toBe(t.rows.filter((r) => !blankRecord(r)).length);
        }),
        opts,
      ),
    );
  });

  it('ragged rows (missing or extra fields) are rejected one by one, never lost', async () => {
    const ragged = table.chain((t) =>
      fc
        .array(fc.integer({ min: -3, max: 3 }), { minLength: t.rows.length, maxLength: t.rows.length })
        .map((deltas) => ({
          ...t,
          rows: t.rows.map((r, i) => {
            const d = deltas[i]!;
            // Keep at least two fields so no record becomes a blank line.
            return d < 0
              ? r.slice(0, Math.max(2, r.length + d))
              : [...r, ...Array.from({ length: d }, (_, k) => `x${k}`)];
          }),
        })),
    );
    await withWarehouse((loadOne) =>
      fc.assert(
        fc.asyncProperty(ragged, async (t) => {
          const out = await loadOne(t.source, Buffer.from(csvText(t), 'utf8'));
          expectAccounted(out);
          if (out.again) return;
          expect(out.f.status).toBe(readNoneLoaded(out.f) ? 'rejected' : 'loaded');
          expect(out.f.rowsRead).toBe(t.rows.length);
          const width = t.header.length;
          expect(out.f.rowsRejected).toBeGreaterThanOrEqual(t.rows.filter((r) => r.length !== width).length);
        }),
        opts,
      ),
    );
  });

  it('stray quotes, commas and line breaks anywhere: no crash, every row accounted for', async () => {
    const mangled = fc
      .tuple(
        table,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', '""', ',', '\n', '\r\n', '"\n', '\r', ',"')), {
          minLength: 1,
          maxLength: 6,
        }),
      )
      .map(([t, edits]) => {
        let text = csvText(t);
        const headerEnd = text.indexOf('\n') + 1 || text.length;
        for (const [at, piece] of edits) {
          const p = headerEnd + (at % Math.max(1, text.length - headerEnd + 1));
          text = text.slice(0, p) + piece + text.slice(p);
        }
        return { source: t.source, text };
      });
    await withWarehouse((loadOne) =>
      fc.assert(
        fc.asyncProperty(mangled, async ({ source, text }) => {
          expectAccounted(await loadOne(source, Buffer.from(text, 'utf8')));
        }),
        opts,
      ),
    );
  });

  it('other encodings (UTF-16 with and without BOM, latin1, Windows-1258): a clear failure or every record accounted for', async () => {
    const encoded = fc
      .tuple(table, fc.constantFrom('utf16le-bom', 'utf16be-bom', 'utf16le', 'latin1', 'windows1258'))
      .map(([t, enc]) => {
        const text = csvText({ ...t, bom: false });
        const bytes =
          enc === 'utf16le-bom'
            ? Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])
            : enc === 'utf16be-bom'
              ? Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')])
              : iconv.encode(text, enc);
        return { t, enc, bytes };
      });
    await withWarehouse((loadOne) =>
      fc.assert(
        fc.asyncProperty(encoded, async ({ t, enc, bytes }) => {
          const out = await loadOne(t.source, bytes);
          expectAccounted(out);
          if (out.again) return;
          if (enc.endsWith('-bom')) {
            expect(out.f.status).toBe('failed');
            expect(out.f.message).toMatch(/UTF-16/);
          }
          if ((enc === 'latin1' || enc === 'windows1258') && out.f.status === 'failed') {
            // Refused whole, naming the problem and the fix.
            expect(out.f.message).toMatch(/not UTF-8.*encoding/);
          }
          if ((enc === 'latin1' || enc === 'windows1258') && out.f.status === 'loaded') {
            // Single-byte encodings keep the record structure: each record is read (bad bytes → reject).
            expect(out.f.rowsRead).toBe(t.rows.filter((r) => !blankRecord(r)).length);
          }
        }),
        opts,
      ),
    );
  });

  it('random bytes, alone or after a valid header: no crash, a reported outcome', async () => {
    const bytes = fc
      .tuple(sourceArb, fc.boolean(), fc.uint8Array({ maxLength: 3000 }))
      .map(([source, withHeader, b]) => ({
        source,
        content: Buffer.concat([
          withHeader ? Buffer.from(sources[source].columns.map((c) => c.name).join(',') + '\n') : Buffer.alloc(0),
          Buffer.from(b),
        ]),
      }));
    await withWarehouse((loadOne) =>
      fc.assert(
        fc.asyncProperty(bytes, async ({ source, content }) => {
          expectAccounted(await loadOne(source, content));
        }),
        opts,
      ),
    );
  });
});
