import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rulesForYear } from '../../engine/config/tax-rules.js';
import { readEntityBatch } from '../../engine/features/read.js';
import type { CaseRow } from '../../engine/publish/case-row.js';
import { reportModelFromRun } from '../../engine/publish/report-from-run.js';
import { openRunSnapshot } from '../../engine/publish/snapshot.js';
import { renderReportHtml } from '../../engine/publish/report.js';
import { deriveAmounts } from '../../engine/score/gap.js';
import { openDb } from '../../engine/warehouse/db.js';
import { setVariables } from '../../engine/warehouse/pipeline.js';
import { openWorkspace } from '../../engine/warehouse/workspace.js';
import { parseCsv } from '../publish/helpers.js';
import { tempDir } from '../helpers.js';
import { cli, runSamples, samplesDir } from './helpers.js';
import { loadConfig } from '../../engine/config/index.js';
import { silentLogger } from '../../engine/log.js';
import { runBatch } from '../../engine/run.js';
import { outcomesCsv } from './outcome-fixtures.js';
import { fmt } from '../../engine/format.js';

const root = tempDir('sangloc-cli-');
const ws = join(root, 'ws');
let runId = '';
let cases: CaseRow[] = [];

beforeAll(async () => {
  const r = await runSamples(ws);
  runId = r.runId;
  cases = JSON.parse(readFileSync(join(r.runDir, 'cases.json'), 'utf8')) as CaseRow[];
}, 120_000);

describe('the run over data-samples', () => {
  it('leaves out every entity already audited for the tax year, and counts them in run.json', async () => {
    const db = await openDb(openWorkspace(ws).warehouse);
    let audited: Set<string>;
    try {
      await setVariables(db, { tax_year: 2025 });
      audited = (await readEntityBatch(db)).audited;
    } finally {
      db.close();
    }
    expect(audited.size).toBeGreaterThan(0);
    expect(cases.filter((c) => audited.has(c.entity_id))).toEqual([]);
    expect(JSON.parse(readFileSync(join(ws, 'runs', runId, 'run.json'), 'utf8')).excluded_audited).toBe(audited.size);
  });

  it('wrote the report that report-from-run rebuilds from the folder (one builder)', async () => {
    const runDir = join(ws, 'runs', runId);
    const db = await openRunSnapshot(runDir);
    try {
      const model = await reportModelFromRun(runDir, { ws: openWorkspace(ws), db });
      expect(model.sources.map((s) => s.source)).toContain('taxpayers');
      expect(renderReportHtml(model)).toBe(readFileSync(join(runDir, 'report.html'), 'utf8'));
    } finally {
      db.close();
    }
  });
});

describe('a run that prices unclassified sellers at the goods rate', () => {
  const goodsWs = join(root, 'ws-goods');
  let goodsRun = '';
  beforeAll(async () => {
    const r = await runBatch({
      input: samplesDir,
      workspace: goodsWs,
      config: loadConfig(undefined, { threads: 1, score: { activity: { method: 'goods' } } }),
      log: silentLogger(),
    });
    goodsRun = r.runId;
  }, 120_000);

  it("records the method in run.json, and the report rebuilt from the folder prices its statistics the run's way", async () => {
    const runDir = join(goodsWs, 'runs', goodsRun);
    expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).activity).toEqual({
      method: 'goods',
      minGroupSize: 30,
    });
    const db = await openRunSnapshot(runDir);
    try {
      const rebuilt = await reportModelFromRun(runDir, { ws: openWorkspace(goodsWs), db });
      expect(renderReportHtml(rebuilt)).toBe(readFileSync(join(runDir, 'report.html'), 'utf8'));
      // The method matters on these samples: priced by the learned mix, the statistics differ.
      const mix = await reportModelFromRun(runDir, { db, activity: { method: 'mix', minGroupSize: 30 } });
      expect(mix.stats!.total.tax_gap_vnd).not.toBe(rebuilt.stats!.total.tax_gap_vnd);
    } finally {
      db.close();
    }
  });
});

describe('--help', () => {
  it.each(['explain', 'diff', 'outcomes', 'train', 'models', 'stats'])(
    '%s has a usage line and an example',
    async (name) => {
      const r = await cli([name, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^sangloc ${name} — `));
      expect(r.out).toMatch(new RegExp(`usage: sangloc ${name} `));
      expect(r.out).toMatch(new RegExp(`example:\\n  sangloc ${name} `));
    },
  );

  it('lists the new commands in the main help', async () => {
    const r = await cli(['--help']);
    for (const name of ['explain', 'diff', 'outcomes', 'train', 'models', 'stats'])
      expect(r.out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });
});

describe('usage and workspace errors', () => {
  it.each([
    { args: ['diff', 'latest'], code: 2, message: /give two runs/ },
    { args: ['stats', '--period', '2026-Q5', '--workspace', 'x'], code: 2, message: /expected YYYY/ },
    { args: ['explain', 'E1', '--workspace', '/nonexistent/ws'], code: 1, message: /does not exist/ },
    { args: ['explain', 'E1', 'E2', '--workspace', '/nonexistent/ws'], code: 2, message: /one entity id/ },
    {
      args: ['explain', 'E1', '--workspace', '/tmp', '--format', 'pdf'],
      code: 2,
      message: /--format must be one of text, json, html/,
    },
    { args: ['outcomes', 'export', 'f.csv', '--workspace', '/tmp'], code: 2, message: /outcomes import FILE/ },
  ])('sangloc $args.0 … exits $code', async ({ args, code, message }) => {
    const r = await cli(args);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
  });
});

describe('sangloc explain', () => {
  it('prints the dossier of the first case, whose tax gap matches the list', async () => {
    const top = cases[0]!;
    const r = await cli(['explain', top.entity_id, '--workspace', ws, '--rows', '2']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Hồ sơ ${top.entity_id} — năm thuế 2025, lần chạy ${runId}`);
    expect(r.out).toContain(`= Chênh lệch thuế`);
    // Nothing of the terminal dossier's own words stays English in Vietnamese.
    for (const en of ['Reasons', 'Identities', 'Related parties', 'step by step', 'record(s)', 'more (--rows'])
      expect(r.out).not.toContain(en);
    const en = await cli(['explain', top.entity_id, '--workspace', ws, '--rows', '2', '--lang', 'en']);
    expect(en.code, en.err).toBe(0);
    expect(en.out).toContain(`Dossier ${top.entity_id} — tax year 2025, run ${runId}`);
    expect(en.out).toContain(`= Tax gap`);
    expect(en.out).toContain(fmt('en').int(top.tax_gap_vnd!));
    expect(r.out).toContain(fmt('vi').int(top.tax_gap_vnd!));
    for (const code of top.reason_codes) expect(r.out).toContain(`[${code}]`);
  });

  it.each([
    { format: 'json', check: (s: string, c: CaseRow) => expect(JSON.parse(s).revenue.tax_gap_vnd).toBe(c.tax_gap_vnd) },
    {
      format: 'html',
      check: (s: string, c: CaseRow) => expect(s).toMatch(new RegExp(`<title>Hồ sơ ${c.entity_id}</title>`)),
    },
  ])('writes --format $format to --out', async ({ format, check }) => {
    const out = join(root, `dossier.${format}`);
    const r = await cli(['explain', cases[1]!.entity_id, '--workspace', ws, '--format', format, '--out', out]);
    expect(r.code, r.err).toBe(0);
    check(readFileSync(out, 'utf8'), cases[1]!);
  });

  it('refuses an unknown entity', async () => {
    const r = await cli(['explain', 'E0000000000', '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no such entity/);
  });
});

describe('sangloc diff', () => {
  // A later run whose list lost its first case, moved the 60th case to the top and gained a new one at
  // the end: everyone below the 60th moves up one rank, so the 201st crosses into the 51–200 band too —
  // only because the first case left (its place among the cases on both lists is unchanged).
  const laterId = '29991231-235959-ffffff';
  beforeAll(() => {
    const from = join(ws, 'runs', runId);
    const to = join(ws, 'runs', laterId);
    cpSync(from, to, { recursive: true });
    const later = cases.slice(1).map((c) => ({ ...c }));
    const moved = later.splice(58, 1)[0]!;
    later.unshift(moved);
    later.push({ ...cases[0]!, entity_id: 'ENEW0000001' });
    later.forEach((c, k) => (c.rank = k + 1));
    writeFileSync(join(to, 'cases.json'), JSON.stringify(later));
    writeFileSync(
      join(to, 'run.json'),
      JSON.stringify({ ...JSON.parse(readFileSync(join(from, 'run.json'), 'utf8')), run_id: laterId }),
    );
  });

  it('prints the counts and writes every change as CSV', async () => {
    const out = join(root, 'diff.csv');
    const r = await cli(['diff', runId, laterId, '--workspace', ws, '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      `mới 1, tăng mức 1, giảm mức 0, lên hạng vì hồ sơ khác rời đi 1, xuống hạng vì hồ sơ mới vào 0, ` +
        `rời danh sách 1 (1 không có trên danh sách), không đổi ${fmt('vi').int(cases.length - 3)}`,
    );
    expect(r.out).toMatch(/chỉ vì 1 hồ sơ xếp trên đã rời danh sách/);
    const en = await cli(['diff', runId, laterId, '--workspace', ws, '--lang', 'en']);
    expect(en.code, en.err).toBe(0);
    expect(en.out).toContain(
      `new 1, escalated 1, de-escalated 0, moved up as others left 1, moved down as others came in 0, ` +
        `dropped 1 (1 not-on-list), unchanged ${fmt('en').int(cases.length - 3)}`,
    );
    expect(en.out).toMatch(/only because 1 case\(s\) above it left the list/);
    const rows = parseCsv(readFileSync(out, 'utf8').slice(1));
    const kinds = new Map(rows.slice(1).map((x) => [x[1], x[0]]));
    expect(kinds.get('ENEW0000001')).toBe('new');
    expect(kinds.get(cases[0]!.entity_id)).toBe('dropped');
    expect(kinds.get(cases[59]!.entity_id)).toBe('escalated');
    expect(kinds.get(cases[200]!.entity_id)).toBe('moved-up');
    const causes = new Map(rows.slice(1).map((x) => [x[1], x[10]]));
    expect(causes.get(cases[0]!.entity_id)).toBe('not-on-list');
    expect(causes.get(cases[59]!.entity_id)).toBe('overtook');
  });

  it('accepts run folders without a workspace', async () => {
    const r = await cli(['diff', join(ws, 'runs', runId), join(ws, 'runs', laterId)]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/rời danh sách 1/);
  });

  it('feeds the report: changes since the previous run, with the model card and statistics', async () => {
    const db = await openRunSnapshot(join(ws, 'runs', laterId));
    try {
      const model = await reportModelFromRun(join(ws, 'runs', laterId), { ws: openWorkspace(ws), db });
      expect(model.diff!.run_a).toBe(runId);
      expect(model.diff!.counts.new).toBe(1);
      expect(model.model).toBeNull();
      expect(model.stats!.period.label).toBe('2025');
      const html = renderReportHtml(model);
      expect(html).toContain('Không có mô hình: chỉ dùng quy tắc.');
      expect(html).toContain('id="changes"');
      expect(html).toContain('id="stats"');
    } finally {
      db.close();
    }
  });
});

describe('outcomes import → train → models', () => {
  it("trains nothing while the sample's outcomes are too few, and says why (exit 3)", async () => {
    const r = await cli(['train', '--workspace', ws, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/no model trained for tax year 2025: \d+ audit outcomes/);
  });

  it('imports outcomes through the loader: good rows in, bad rows rejected with their line', async () => {
    const file = join(root, 'audits-2026.csv');
    writeFileSync(file, outcomesCsv(90, ['tax_id,,2025,undeclared,,,,', 'phone,0912345678,2025,maybe,,,,risk']));
    const r = await cli(['outcomes', 'import', file, '--workspace', ws, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('92 row(s) read, 90 loaded, 2 rejected');
    expect(r.out).toMatch(/line 92 \(subject_id\): required value is empty/);
    expect(r.out).toMatch(/line 93 \(result\): unknown value/);
    expect(r.out).toMatch(/kept as .*outcomes\/\d{8}-\d{6}-audits-2026\.csv/);
    const again = await cli(['outcomes', 'import', file, '--workspace', ws, '--quiet']);
    expect(again.out).toMatch(/imported before/);
  });

  it('retrains on every outcome and prints cross-validated metrics', async () => {
    const r = await cli(['train', '--workspace', ws, '--quiet']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/model forest-2025-[0-9a-f]{12} trained for tax year 2025/);
    const auc = Number(/cross-validated AUC: ([\d,]+)/.exec(r.out)![1]!.replace(',', '.'));
    expect(auc).toBeGreaterThan(0.6);
    expect(r.out).toMatch(/labels: (9\d|1\d\d) audit outcomes/);
  });

  it('lists the model, and as JSON with its card', async () => {
    const r = await cli(['models', '--workspace', ws]);
    expect(r.out).toMatch(/^model_id +created_at +tax_year/);
    expect(r.out).toMatch(/forest-2025-[0-9a-f]{12} /);
    const json = JSON.parse((await cli(['models', '--workspace', ws, '--json'])).out) as {
      model_id: string;
      cv_auc: number;
      runs: string[];
    }[];
    expect(json).toHaveLength(1);
    expect(json[0]!.cv_auc).toBeGreaterThan(0.6);
    expect(json[0]!.runs).toEqual([]);
  });

  it('refuses a file that is not CSV or Parquet', async () => {
    const file = join(root, 'audits.txt');
    writeFileSync(file, 'x');
    const r = await cli(['outcomes', 'import', file, '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/expected a \.csv or \.parquet file/);
  });
});

describe('sangloc stats', () => {
  it("counts the year's tax gap as the scorer does, per province, with a TOTAL row in the CSV", async () => {
    const out = join(root, 'stats-2025.csv');
    const r = await cli(['stats', '--period', '2025', '--workspace', ws, '--out', out]);
    expect(r.code, r.err).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8').slice(1));
    const col = (name: string) => rows[0]!.indexOf(name);
    const total = rows.at(-1)!;
    expect(total[col('province')]).toBe('TOTAL');
    const sum = (name: string) => rows.slice(1, -1).reduce((s, x) => s + Number(x[col(name)] || 0), 0);
    expect(sum('sellers')).toBe(Number(total[col('sellers')]));
    const db = await openDb(openWorkspace(ws).warehouse);
    try {
      await setVariables(db, { tax_year: 2025 });
      const batch = await readEntityBatch(db);
      const gap = deriveAmounts(batch.batch, rulesForYear(2025), { provinces: batch.provinces }).taxGap.reduce(
        (s, v) => s + v,
        0,
      );
      expect(Number(total[col('tax_gap_vnd')])).toBe(Math.round(gap));
    } finally {
      db.close();
    }
  });

  it('shows the audits closed in 2026 with their hit rate, as the run saw them (its snapshot)', async () => {
    const r = await cli(['stats', '--period', '2026', '--workspace', ws]);
    expect(r.code, r.err).toBe(0);
    const total = r.out.split('\n').find((l) => l.startsWith('TOTAL'))!;
    // The sample's own 16 outcomes; the 90 imported after the run count from the next run.
    expect(total).toMatch(/\s16\s+\d+ %\s/);
  });

  it('refuses a period no data falls in (exit 2, nothing shown or written), naming the years the data covers', async () => {
    const out = join(root, 'stats-2052.csv');
    const r = await cli(['stats', '--period', '2052', '--workspace', ws, '--out', out]);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(r.err).toMatch(/no data of run \S+ falls in period 2052 \(01\/01\/2052 … 31\/12\/2052\)/);
    expect(r.err).toMatch(/its data covers (\d{4}, )*2025\b.*e\.g\. --period \d{4}/);
  });

  it('a half year holds less revenue than its year', async () => {
    const year = (await cli(['stats', '--period', '2025', '--workspace', ws])).out;
    const half = (await cli(['stats', '--period', '2025-H1', '--workspace', ws])).out;
    const observed = (s: string) =>
      Number(
        s
          .split('\n')
          .find((l) => l.startsWith('TOTAL'))!
          .trim()
          .split(/\s{2,}/)[5]!
          .replaceAll(',', ''),
      );
    expect(observed(half)).toBeGreaterThan(0);
    expect(observed(half)).toBeLessThan(observed(year));
  });
});

it('leaves no lock behind', () => {
  expect(existsSync(join(ws, 'run.lock'))).toBe(false);
});
