import type { CaseRow } from '../../engine/publish/case-row.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, writeFileSync, statSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../engine/paths.js';
import { tempDir } from '../helpers.js';

const bin = join(packageRoot, 'bin', 'sangloc.js');
const sangloc = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'Asia/Ho_Chi_Minh' } });

describe('generate → run → evaluate on a small world', () => {
  const root = tempDir('sangloc-e2e-');
  const world = join(root, 'world');
  const ws = join(root, 'ws');
  let firstRun = '';

  let headline = '';
  beforeAll(() => {
    // 1,500 persons carry enough audit outcomes (~45) for the forest to train, so the worker pool runs.
    const g = sangloc(['generate', '--persons', '1500', '--seed', '3', '--out', world]);
    expect(g.status, g.stderr).toBe(0);
    const r = sangloc(['run', '--input', world, '--workspace', ws]);
    expect(r.status, r.stderr).toBe(0);
    headline = r.stdout;
    firstRun = readlinkSync(join(ws, 'latest'));
  }, 300_000);

  it('counts the work list in the headline and run.json: the first rows of the ranking, only cases picked by score', () => {
    const dir = join(ws, firstRun);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    const rows = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as CaseRow[];
    const w = run.work_list;
    expect(run.cases).toBe(w.cases);
    expect(run.ranked).toBe(rows.length);
    expect(w.cases).toBeLessThanOrEqual(500);
    expect(w.cases).toBeLessThan(rows.length);
    const list = rows.slice(0, w.cases);
    expect(list.filter((c) => c.control_slice === 1)).toHaveLength(w.control);
    expect(rows.slice(w.cases).every((c) => c.control_slice === 0)).toBe(true);
    // Picked by score = a case: a reason or a positive tax gap.
    for (const c of list.filter((x) => x.control_slice === 0))
      expect(c.reason_codes.length > 0 || c.tax_gap_vnd! > 0, c.entity_id).toBe(true);
    expect(list.filter((c) => c.expected_yield_vnd! > 0)).toHaveLength(w.with_expected_yield);
    const n = (v: number) => new Intl.NumberFormat('vi-VN').format(v);
    expect(headline).toContain(
      `work list: ${n(w.cases)} cases (${n(w.scored)} by expected yield + ${n(w.control)} random control), ` +
        `${n(w.with_expected_yield)} with expected yield > 0`,
    );
    expect(headline).toContain(`${n(rows.length)} ranked in the case files`);
  });

  it('publishes every file of the contract and points latest at the run', () => {
    const dir = join(ws, firstRun);
    for (const f of [
      'cases.csv',
      'cases.xlsx',
      'cases.parquet',
      'cases.json',
      'members.csv',
      'rejects.csv',
      'run.json',
      'report.html',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(runJson).toMatchObject({
      engine_version: expect.any(String),
      config_hash: expect.any(String),
      tax_year: 2025,
    });
    for (const [source, c] of Object.entries(
      runJson.rows as Record<string, { read: number; loaded: number; rejected: number }>,
    )) {
      expect(c.read, source).toBe(c.loaded + c.rejected);
    }
    expect(Object.keys(runJson.timings_ms)).toEqual(
      expect.arrayContaining([
        'ingest',
        'staging',
        'resolve',
        'features',
        'score',
        'publish: cases',
        'publish: members',
        'publish: snapshot',
        'publish: report',
      ]),
    );
    const header = readFileSync(join(dir, 'cases.csv'), 'utf8').split('\r\n')[0]!;
    expect(
      header
        .replace(/^\ufeff/, '')
        .split(',')
        .slice(0, 16),
    ).toEqual([
      'rank',
      'entity_id',
      'risk_score',
      'expected_yield_vnd',
      'estimated_revenue_vnd',
      'declared_revenue_vnd',
      'undeclared_revenue_vnd',
      'tax_gap_vnd',
      'name',
      'tax_ids',
      'national_ids',
      'phones',
      'province',
      'sources',
      'reason_codes',
      'reasons',
    ]);
    expect(statSync(join(ws, 'warehouse.duckdb')).mode & 0o077).toBe(0);
  });

  it("every record of the truth reaches members.csv exactly once, or is counted in run.json's unattributed", () => {
    const members = readFileSync(join(ws, firstRun, 'members.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const truth = readFileSync(join(world, 'truth', 'records.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const keys = new Set(members.map((l) => l.split(',').slice(1).join(',')));
    expect(keys.size).toBe(members.length);
    const missing = truth.filter((l) => !keys.has(l.split(',').slice(0, 2).join(',')));
    // rows no seller's record holds (docs/linking.md) are left out of members.csv and counted per source
    const runJson = JSON.parse(readFileSync(join(ws, firstRun, 'run.json'), 'utf8'));
    const missingBySource = new Map<string, number>();
    for (const l of missing) {
      const source = l.slice(0, l.indexOf(','));
      missingBySource.set(source, (missingBySource.get(source) ?? 0) + 1);
    }
    const unattributed = new Map<string, number>(
      (runJson.unattributed.by_source as { source: string; rows: number }[])
        .filter((s) => s.rows > 0)
        .map((s) => [s.source, s.rows]),
    );
    expect(missingBySource).toEqual(unattributed);
    expect(missing.length).toBeLessThan(truth.length / 100);
  });

  it('a second run over the same folder loads nothing twice and gives a byte-identical case list', () => {
    const r = sangloc(['run', '--input', world, '--workspace', ws]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ingest: 0 new file\(s\), 0 rows read, \d+ already loaded/);
    const second = readlinkSync(join(ws, 'latest'));
    expect(second).not.toBe(firstRun);
    expect(readFileSync(join(ws, second, 'cases.csv'))).toEqual(readFileSync(join(ws, firstRun, 'cases.csv')));
    expect(readFileSync(join(ws, second, 'members.csv'))).toEqual(readFileSync(join(ws, firstRun, 'members.csv')));
    firstRun = second;
  });

  it('trains the forest and gives byte-identical cases with 1 or 2 threads', () => {
    const runJson = JSON.parse(readFileSync(join(ws, firstRun, 'run.json'), 'utf8'));
    expect(runJson.model_id).toMatch(/^forest-2025-[0-9a-f]{12}$/);
    expect(existsSync(join(ws, 'models', `${runJson.model_id}.json`))).toBe(true);
    const cfg = join(root, 'one-thread.json');
    writeFileSync(cfg, JSON.stringify({ threads: 1 }));
    const ws1 = join(root, 'ws-one-thread');
    const r = sangloc(['run', '--input', world, '--workspace', ws1, '--config', cfg]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('sangloc: config: '))).toEqual([
      'sangloc: config: threads = 1 (default 2)',
    ]);
    expect(readFileSync(join(ws1, 'latest', 'cases.csv'))).toEqual(readFileSync(join(ws, firstRun, 'cases.csv')));
  });

  it('evaluate reports precision@K, yield@K and pairwise figures as JSON', () => {
    const out = join(root, 'eval.json');
    execFileSync(
      process.execPath,
      [bin, 'evaluate', '--truth', join(world, 'truth'), '--run', join(ws, 'latest'), '--out', out, '--quiet'],
      { encoding: 'utf8' },
    );
    const e = JSON.parse(readFileSync(out, 'utf8'));
    expect(JSON.stringify(e)).toMatch(/precision/);
    const text = execFileSync(
      process.execPath,
      [bin, 'evaluate', '--truth', join(world, 'truth'), '--run', join(ws, 'latest'), '--out', out, '--quiet'],
      { encoding: 'utf8' },
    );
    // vi numbers (the one formatter): 56,0 %
    const p50 = Number(/^50\s+\d+\s+\d+\s+([\d.,]+) ?%/m.exec(text)![1]!.replace(',', '.'));
    expect(p50).toBeGreaterThan(50); // far above the base rate of a random pick
  });

  it('a failing run publishes nothing and leaves latest as it was', () => {
    const r = sangloc(['run', '--input', join(root, 'no-such-folder'), '--workspace', ws]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      /no-such-folder: no such folder; check the path given to --input/,
    );
    expect(readlinkSync(join(ws, 'latest'))).toBe(firstRun);
    expect(readdirSync(join(ws, 'runs')).filter((d) => d.startsWith('.partial'))).toEqual([]);
  });

  it('a second run while one holds the workspace exits with a clear message', () => {
    writeFileSync(join(ws, 'run.lock'), JSON.stringify({ pid: process.pid, started_at: 'now' }));
    try {
      const r = sangloc(['run', '--input', world, '--workspace', ws]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/in use by another run.*--wait/);
    } finally {
      writeFileSync(join(ws, 'run.lock'), '');
      rmSync(join(ws, 'run.lock'));
    }
  });
});
