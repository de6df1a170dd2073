import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkspaceError } from '../../engine/errors.js';
import { appendAudit, assertAuditWritable, auditPath, readAudit, scrubDetail } from '../../engine/warehouse/audit.js';
import { openWorkspace } from '../../engine/warehouse/workspace.js';
import { tempDir } from '../helpers.js';

describe('scrubDetail', () => {
  it.each([
    { input: 'phone 0912345678 rejected', expected: 'phone [number] rejected' },
    { input: 'from +84 912 345 678.', expected: 'from [number].' },
    { input: 'national id 001090012345', expected: 'national id [number]' },
    { input: 'branch 0100109106-001 closed', expected: 'branch [number] closed' },
    { input: 'account 0011.0040.12345', expected: 'account [number]' },
    { input: 'write to shop.abc@gmail.com now', expected: 'write to [email] now' },
    { input: 'run 20261123-175332-b76ab5 failed', expected: 'run 20261123-175332-b76ab5 failed' },
    { input: 'pid 12345, 2 files, 2026-11', expected: 'pid 12345, 2 files, 2026-11' },
    { input: 'line one\n  line two', expected: 'line one line two' },
  ])('$input', ({ input, expected }) => {
    expect(scrubDetail(input)).toBe(expected);
  });

  it('caps the detail at 500 characters', () => {
    expect(scrubDetail('x'.repeat(2000))).toHaveLength(500);
  });
});

describe('appendAudit', () => {
  it('appends one JSON line per event with time, OS user, pid, action, run id and counts', () => {
    const ws = openWorkspace(join(tempDir(), 'ws'));
    const before = Date.now();
    appendAudit(ws, {
      action: 'run',
      runId: '20261123-175332-b76ab5',
      rows: { cases: 554, members: 9120, rejects: 3, bad: NaN },
    });
    appendAudit(ws.root, {
      action: 'run_failed',
      runId: '20261123-180000-000000',
      detail: 'taxpayers.csv: owner 0912345678 unreadable',
    });
    const lines = readFileSync(auditPath(ws), 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const [run, failed] = lines.slice(0, 2).map((l) => JSON.parse(l));
    expect(run).toEqual({
      ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      user: userInfo().username,
      pid: process.pid,
      action: 'run',
      run_id: '20261123-175332-b76ab5',
      rows: { cases: 554, members: 9120, rejects: 3 },
      detail: null,
    });
    expect(Date.parse(run.ts)).toBeGreaterThanOrEqual(before - 1);
    expect(failed).toMatchObject({
      action: 'run_failed',
      detail: 'taxpayers.csv: owner [number] unreadable',
      rows: {},
    });
    expect(readAudit(ws).map((e) => e.action)).toEqual(['run', 'run_failed']);
  });

  it('creates the log owner-only and tightens a log created with looser permissions', () => {
    const root = join(tempDir(), 'ws');
    const ws = openWorkspace(root);
    appendAudit(ws, { action: 'export', rows: { cases: 1 } });
    expect(statSync(auditPath(ws)).mode & 0o777).toBe(0o600);
    chmodSync(auditPath(ws), 0o644);
    appendAudit(ws, { action: 'export', rows: { cases: 2 } });
    expect(statSync(auditPath(ws)).mode & 0o777).toBe(0o600);
    expect(readAudit(ws).map((e) => e.rows.cases)).toEqual([1, 2]);
  });

  it('never rewrites earlier lines and skips a torn last line when read back', () => {
    const ws = openWorkspace(join(tempDir(), 'ws'));
    appendAudit(ws, { action: 'run', runId: 'a' });
    const first = readFileSync(auditPath(ws), 'utf8');
    writeFileSync(auditPath(ws), first + '{"ts":"2026-', { flag: 'w' }); // a process killed mid-write
    appendAudit(ws, { action: 'run', runId: 'b' });
    const text = readFileSync(auditPath(ws), 'utf8');
    expect(text.startsWith(first)).toBe(true);
    expect(readAudit(ws).map((e) => e.run_id)).toEqual(['a', 'b']);
  });

  it('keeps every line whole when several processes append at once', async () => {
    const ws = openWorkspace(join(tempDir(), 'ws'));
    const url = new URL('../../engine/warehouse/audit.ts', import.meta.url).href;
    const script = `const { appendAudit } = await import(${JSON.stringify(url)});
      for (let i = 0; i < 50; i++) appendAudit(${JSON.stringify(ws.root)}, { action: 'export', rows: { i }, detail: 'x'.repeat(300) });`;
    const children = Array.from(
      { length: 3 },
      () =>
        new Promise<number | null>((done) => {
          const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
            stdio: 'ignore',
          });
          p.on('exit', (code) => done(code));
        }),
    );
    expect(await Promise.all(children)).toEqual([0, 0, 0]);
    // A writer racing another's torn-line check may add a blank line; readers skip those.
    const lines = readFileSync(auditPath(ws), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(150);
    const records = lines.map((l) => JSON.parse(l));
    expect(readAudit(ws)).toHaveLength(150);
    expect(new Set(records.map((r) => r.pid)).size).toBe(3);
  });
});

describe('assertAuditWritable', () => {
  it('creates a missing log owner-only and accepts an existing one', () => {
    const ws = openWorkspace(join(tempDir(), 'ws'));
    assertAuditWritable(ws);
    expect(statSync(auditPath(ws)).mode & 0o777).toBe(0o600);
    appendAudit(ws, { action: 'run' });
    assertAuditWritable(ws);
    expect(readAudit(ws)).toHaveLength(1);
  });

  it('refuses, with the file and the fix, when the log cannot be appended to', () => {
    const ws = openWorkspace(join(tempDir(), 'ws'));
    mkdirSync(auditPath(ws));
    expect(() => assertAuditWritable(ws)).toThrow(WorkspaceError);
    expect(() => assertAuditWritable(ws)).toThrow(/audit\.log cannot be appended to \(EISDIR\).*writable file/);
  });
});
