import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, chmodSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WorkspaceError } from '../errors.js';

/**
 * The workspace layout (docs/contract.md, "The rest of the workspace"): one folder per installation,
 * owner-only permissions.
 *
 * @example const ws = openWorkspace('workspace'); ws.runDir('20261123-0100-ab12')
 */
export interface Workspace {
  root: string;
  warehouse: string;
  runsDir: string;
  modelsDir: string;
  tmpDir: string;
  latestLink: string;
  lockFile: string;
  runDir(runId: string): string;
}

export function openWorkspace(root: string): Workspace {
  const ws = workspacePaths(root);
  for (const dir of [ws.root, ws.runsDir, ws.modelsDir, ws.tmpDir]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      chmodSync(dir, 0o700);
    } catch {
      /* not ours to change: keep going, the files inside are still created 0600 */
    }
  }
  return ws;
}

/**
 * The paths of a workspace without creating or changing anything (for `sangloc status`, which
 * only reads).
 *
 * @example workspacePaths('workspace').lockFile // '/…/workspace/run.lock'
 */
export function workspacePaths(root: string): Workspace {
  const abs = resolve(root);
  return {
    root: abs,
    warehouse: join(abs, 'warehouse.duckdb'),
    runsDir: join(abs, 'runs'),
    modelsDir: join(abs, 'models'),
    tmpDir: join(abs, 'tmp'),
    latestLink: join(abs, 'latest'),
    lockFile: join(abs, 'run.lock'),
    runDir: (id) => join(abs, 'runs', id),
  };
}

export interface Lock {
  release(): void;
}

/**
 * Takes the workspace lock (one run at a time). A lock left by a dead process is taken over.
 * With `wait`, polls until the lock frees or `waitMs` passes.
 */
export async function acquireLock(
  ws: Workspace,
  opts: { wait?: boolean; waitMs?: number; command?: string } = {},
): Promise<Lock> {
  const deadline = Date.now() + (opts.waitMs ?? 6 * 3600_000);
  for (;;) {
    try {
      const fd = openSync(ws.lockFile, 'wx', 0o600);
      const holder = { pid: process.pid, started_at: new Date().toISOString(), command: opts.command ?? 'run' };
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      return {
        release: () => {
          try {
            rmSync(ws.lockFile, { force: true });
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLockHolder(ws.lockFile);
    if (holder && !processAlive(holder.pid)) {
      rmSync(ws.lockFile, { force: true }); // stale: its process died (killed run)
      continue;
    }
    if (!opts.wait || Date.now() > deadline) {
      throw new WorkspaceError(
        `workspace ${ws.root} is in use by another run (pid ${holder?.pid ?? '?'}, started ${holder?.started_at ?? '?'}); ` +
          'wait for it to finish or pass --wait to queue behind it',
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Who holds the workspace lock, read without taking it (for `sangloc status`). */
export interface LockState {
  pid: number;
  started_at: string;
  /** What took it: `run`, `prune`, `backup`, `outcomes import` … (absent in locks of older releases). */
  command?: string;
  /** False when the process is gone (a killed run): the next run takes the lock over. */
  alive: boolean;
}

/**
 * The lock as it is now, or undefined when no process holds the workspace.
 *
 * @example readLock(ws) // { pid: 4242, started_at: '2026-11-24T01:00:02.120Z', command: 'run', alive: true }
 */
export function readLock(ws: Workspace): LockState | undefined {
  const holder = readLockHolder(ws.lockFile);
  if (!holder) {
    try {
      statSync(ws.lockFile);
      return { pid: 0, started_at: '?', alive: true }; // being written at this instant
    } catch {
      return undefined;
    }
  }
  return { ...holder, alive: processAlive(holder.pid) };
}

function readLockHolder(file: string): { pid: number; started_at: string; command?: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Being written right now, or empty: treat as held unless it is old.
    try {
      if (Date.now() - statSync(file).mtimeMs > 60_000) return { pid: -1, started_at: '?' };
    } catch {
      /* vanished */
    }
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
