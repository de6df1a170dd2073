import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPrometheus, formatStatus, workspaceStatus } from '../../engine/ops/status.js';
import { bootId, processStart, workspacePaths } from '../../engine/warehouse/workspace.js';
import { cli } from '../cli/helpers.js';
import { tempDir } from '../helpers.js';

const NOW = new Date('2026-11-24T03:00:00.000Z');
let base = NOW;
const hoursAgo = (h: number) => new Date(base.getTime() - h * 3_600_000).toISOString();
const fullRows = {
  taxpayers: { read: 285, loaded: 285, rejected: 0, files: 1 },
  declarations: { read: 749, loaded: 749, rejected: 0, files: 1 },
  bank_transactions: { read: 19_306, loaded: 19_300, rejected: 6, files: 10 },
};

interface FakeRun {
  id: string;
  finishedHoursAgo: number;
  rows?: Record<string, { read: number; loaded: number; rejected: number; files: number }>;
}
interface Fake {
  runs?: FakeRun[];
  latest?: string;
  audit?: { action: string; hoursAgo: number; runId?: string; detail?: string }[];
  lock?: { pid: number; hoursAgo: number; command?: string };
}

let n = 0;
const root = tempDir('sangloc-status-');

/** A workspace made of the files status reads: run folders, latest, audit.log, run.lock. */
function fakeWorkspace(f: Fake, at = NOW): string {
  base = at;
  const ws = join(root, `ws${n++}`);
  mkdirSync(join(ws, 'runs'), { recursive: true });
  for (const r of f.runs ?? []) {
    const dir = join(ws, 'runs', r.id);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'run.json'),
      JSON.stringify({
        run_id: r.id,
        finished_at: hoursAgo(r.finishedHoursAgo),
        tax_year: 2025,
        cases: 385,
        entities: 399,
        rows: r.rows ?? fullRows,
      }),
    );
    writeFileSync(join(dir, 'cases.csv'), 'rank\n');
  }
  if (f.latest) symlinkSync(join('runs', f.latest), join(ws, 'latest'));
  const lines = (f.audit ?? []).map((a) =>
    JSON.stringify({
      ts: hoursAgo(a.hoursAgo),
      user: 'tax',
      pid: 1,
      action: a.action,
      run_id: a.runId ?? null,
      rows: {},
      detail: a.detail ?? null,
    }),
  );
  if (lines.length) writeFileSync(join(ws, 'audit.log'), lines.join('\n') + '\n');
  if (f.lock)
    writeFileSync(
      join(ws, 'run.lock'),
      // As acquireLock writes it: the boot id and the process's start time tell its process from a later one.
      JSON.stringify({
        pid: f.lock.pid,
        started_at: hoursAgo(f.lock.hoursAgo),
        command: f.lock.command,
        boot_id: bootId(),
        proc_start: processStart(f.lock.pid),
      }),
    );
  return ws;
}

const DEAD_PID = 2 ** 22 + 12_345; // above pid_max on Linux: never a live process
const run1 = '20261123-180000-aaaaaa';
const run0 = '20261122-180000-bbbbbb';

describe('workspaceStatus grades a workspace from its files', () => {
  it.each([
    {
      name: 'healthy: last night succeeded',
      fake: { runs: [{ id: run1, finishedHoursAgo: 8 }], latest: run1 },
      level: 'ok',
      problem: null,
    },
    {
      name: 'stale: last success older than status.maxAgeHours',
      fake: { runs: [{ id: run1, finishedHoursAgo: 30 }], latest: run1 },
      level: 'warning',
      problem: /30 h ago \(more than status.maxAgeHours = 26\)/,
    },
    {
      name: 'a source loaded 0 rows',
      fake: {
        runs: [
          {
            id: run1,
            finishedHoursAgo: 8,
            rows: { ...fullRows, taxpayers: { read: 0, loaded: 0, rejected: 0, files: 0 } },
          },
        ],
        latest: run1,
      },
      level: 'warning',
      problem: /loaded 0 rows of taxpayers/,
    },
    {
      name: 'a source delivered before is missing from the last run',
      fake: {
        runs: [
          {
            id: run0,
            finishedHoursAgo: 32,
            rows: { ...fullRows, websites: { read: 16, loaded: 16, rejected: 0, files: 1 } },
          },
          { id: run1, finishedHoursAgo: 8 },
        ],
        latest: run1,
      },
      level: 'warning',
      problem: /loaded 0 rows of websites/,
    },
    {
      name: 'no outcomes last night is normal (they come when audits close)',
      fake: {
        runs: [
          {
            id: run1,
            finishedHoursAgo: 8,
            rows: { ...fullRows, outcomes: { read: 0, loaded: 0, rejected: 0, files: 0 } },
          },
        ],
        latest: run1,
      },
      level: 'ok',
      problem: null,
    },
    {
      name: 'failed: the last run failed after the last success',
      fake: {
        runs: [{ id: run1, finishedHoursAgo: 30 }],
        latest: run1,
        audit: [
          { action: 'run', hoursAgo: 30, runId: run1 },
          {
            action: 'run_failed',
            hoursAgo: 6,
            runId: '20261124-180000-cccccc',
            detail: 'inbox/declarations.csv: no declarations loaded',
          },
        ],
      },
      level: 'critical',
      problem: /run 20261124-180000-cccccc failed at .*: inbox\/declarations.csv: no declarations loaded/,
    },
    {
      name: 'a failure followed by a success is history, not a problem',
      fake: {
        runs: [{ id: run1, finishedHoursAgo: 8 }],
        latest: run1,
        audit: [{ action: 'run_failed', hoursAgo: 30, runId: run0, detail: 'disk full' }],
      },
      level: 'ok',
      problem: null,
    },
    {
      name: 'no run ever succeeded',
      fake: { audit: [{ action: 'run_failed', hoursAgo: 2, runId: run1, detail: 'x' }] },
      level: 'critical',
      problem: /no run has ever succeeded/,
    },
    {
      name: 'a run killed after the last success (its lock is left, its pid gone)',
      fake: { runs: [{ id: run1, finishedHoursAgo: 20 }], latest: run1, lock: { pid: DEAD_PID, hoursAgo: 3 } },
      level: 'critical',
      problem: /a run started at .* died without finishing \(process 4206649 is gone/,
    },
    {
      name: 'a run in progress is no problem',
      fake: {
        runs: [{ id: run1, finishedHoursAgo: 20 }],
        latest: run1,
        lock: { pid: process.pid, hoursAgo: 1, command: 'run' },
      },
      level: 'ok',
      problem: null,
    },
  ] as { name: string; fake: Fake; level: string; problem: RegExp | null }[])(
    '$name → $level',
    ({ fake, level, problem }) => {
      const s = workspaceStatus(workspacePaths(fakeWorkspace(fake)), { maxAgeHours: 26, now: NOW });
      expect(s.level).toBe(level);
      expect(s.exit_code).toBe({ ok: 0, warning: 1, critical: 2 }[level]);
      if (problem) expect(s.problems.map((p) => p.message).join('\n')).toMatch(problem);
      else expect(s.problems).toEqual([]);
    },
  );

  it('reports the last success, the run in progress since when, rows per source, sizes', () => {
    const ws = fakeWorkspace({
      runs: [{ id: run1, finishedHoursAgo: 8 }],
      latest: run1,
      lock: { pid: process.pid, hoursAgo: 1.5, command: 'prune' },
    });
    writeFileSync(join(ws, 'warehouse.duckdb'), Buffer.alloc(4096));
    const s = workspaceStatus(workspacePaths(ws), { maxAgeHours: 26, now: NOW });
    expect(s.last_success).toMatchObject({ run_id: run1, age_hours: 8, tax_year: 2025, cases: 385 });
    expect(s.in_progress).toMatchObject({ pid: process.pid, command: 'prune', alive: true, age_hours: 1.5 });
    expect(s.rows_last_run.bank_transactions).toEqual({ read: 19_306, loaded: 19_300, rejected: 6, files: 10 });
    expect(s.warehouse_bytes).toBe(4096);
    expect(s.disk_free_bytes).toBeGreaterThan(0);
    const text = formatStatus(s);
    expect(text.split('\n')[0]).toMatch(
      /^SANGLOC OK - run 20261123-180000-aaaaaa published 8 h ago \(tax year 2025, 385 cases\) \| age_hours=8;26 cases=385 /,
    );
    expect(text).toContain('in progress:   prune (pid');
    expect(text).toMatch(/bank_transactions\s+19\.300 loaded\s+6 rejected\s+10 new file/);
    const prom = formatPrometheus(s);
    expect(prom).toMatch(/^sangloc_status\{workspace=".*"\} 0$/m);
    expect(prom).toMatch(/^sangloc_rows_loaded\{workspace=".*",source="bank_transactions"\} 19300$/m);
    expect(prom).toMatch(/^sangloc_run_in_progress\{workspace=".*"\} 1$/m);
  });
});

describe('sangloc status (CLI)', () => {
  it('exits 0 / 1 / 2 for healthy / stale / failed, 3 when the workspace cannot be read; --json', async () => {
    const now = new Date();
    const healthy = fakeWorkspace({ runs: [{ id: run1, finishedHoursAgo: 2 }], latest: run1 }, now);
    const stale = fakeWorkspace({ runs: [{ id: run1, finishedHoursAgo: 40 }], latest: run1 }, now);
    const failed = fakeWorkspace(
      {
        runs: [{ id: run1, finishedHoursAgo: 40 }],
        latest: run1,
        audit: [{ action: 'run_failed', hoursAgo: 1, runId: run0, detail: 'boom' }],
      },
      now,
    );
    expect((await cli(['status', '--workspace', healthy])).code).toBe(0);
    const s = await cli(['status', '--workspace', stale]);
    expect([s.code, s.out.split('\n')[0]]).toEqual([
      1,
      expect.stringMatching(
        /^SANGLOC WARNING - the last successful run finished 40 h ago \(more than status.maxAgeHours = 26\)/,
      ),
    ]);
    const f = await cli(['status', '--workspace', failed, '--json']);
    expect(f.code).toBe(2);
    expect(JSON.parse(f.out)).toMatchObject({
      level: 'critical',
      exit_code: 2,
      last_failure: { run_id: run0, reason: 'boom', after_last_success: true },
    });
    const missing = await cli(['status', '--workspace', join(root, 'nope')]);
    expect([missing.code, missing.out]).toEqual([
      3,
      expect.stringMatching(/^SANGLOC UNKNOWN - workspace .* does not exist/),
    ]);
  });

  it('reads only: no lock taken, warehouse never opened (a garbage file is fine), nothing created', async () => {
    const ws = fakeWorkspace(
      { runs: [{ id: run1, finishedHoursAgo: 2 }], latest: run1, lock: { pid: process.pid, hoursAgo: 0.2 } },
      new Date(),
    );
    writeFileSync(join(ws, 'warehouse.duckdb'), 'not a duckdb file');
    const lockBefore = readFileSync(join(ws, 'run.lock'), 'utf8');
    const before = readdirSync(ws).sort();
    const r = await cli(['status', '--workspace', ws]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/in progress: {3}run \(pid \d+\) since/);
    expect(readdirSync(ws).sort()).toEqual(before);
    expect(readFileSync(join(ws, 'run.lock'), 'utf8')).toBe(lockBefore);
  });
});
