import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
  chmodSync,
  statSync,
} from 'node:fs';
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
  /** Where a failed run keeps its rejects and diagnostics (created only when a run fails). */
  failedDir(runId: string): string;
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

/** Prefixes of what sangloc itself puts in WS/tmp (decoded copies of deliveries, outcome inboxes). */
const tmpPrefixes = ['sangloc-utf8-', 'outcomes-'];

/**
 * Removes what a killed or interrupted process left in WS/tmp (decoded copies of deliveries hold
 * personal data). Call while holding the workspace lock: then no live sangloc process owns them.
 * DuckDB's own spill files are left to DuckDB. Returns how many entries were removed.
 *
 * @example sweepStaleTmp(ws) // 1 after a run killed while reading a windows-1258 file
 */
export function sweepStaleTmp(ws: Workspace): number {
  let removed = 0;
  for (const name of existsSync(ws.tmpDir) ? readdirSync(ws.tmpDir) : []) {
    if (!tmpPrefixes.some((p) => name.startsWith(p))) continue;
    rmSync(join(ws.tmpDir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
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
    failedDir: (id) => join(abs, 'failed', id),
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
      const holder: LockHolder = {
        pid: process.pid,
        started_at: new Date().toISOString(),
        command: opts.command ?? 'run',
        boot_id: bootId(),
        proc_start: processStart(process.pid),
      };
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
    // A lock file being written at this instant reads empty (taken with `wx`, then written): give its
    // writer a moment, so the message names the run that holds the workspace.
    let holder = readLockHolder(ws.lockFile);
    for (let i = 0; !holder && i < 20 && existsSync(ws.lockFile); i++) {
      await new Promise((r) => setTimeout(r, 25));
      holder = readLockHolder(ws.lockFile);
    }
    if (holder && !holderAlive(holder)) {
      rmSync(ws.lockFile, { force: true }); // stale: its process died (killed run), even if its pid lives again
      continue;
    }
    if (!opts.wait || Date.now() > deadline) {
      throw new WorkspaceError(
        `workspace ${ws.root} is in use by another run (pid ${holder?.pid ?? '?'}, ` +
          `started ${holder?.started_at ?? '?'}); ` +
          'wait for it to finish or pass --wait to queue behind it',
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** What run.lock holds: the pid, and what tells that pid's process apart from a later one with the same pid. */
interface LockHolder {
  pid: number;
  started_at: string;
  /** The kernel's boot id: a lock written before a reboot is stale whatever its pid. */
  boot_id?: string;
  /** Start time of the locking process in clock ticks since boot (/proc/<pid>/stat field 22). */
  proc_start?: string;
  /** What took it: `run`, `prune`, `backup`, `outcomes import` … (absent in locks of older releases). */
  command?: string;
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
  return { ...holder, alive: holderAlive(holder) };
}

function readLockHolder(file: string): LockHolder | undefined {
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

/**
 * Whether the process that wrote a lock still runs. A pid alone does not say: after a kill, the
 * pid is reused, and in a container the batch is pid 1 on every start, so "pid 1 is alive" would
 * block every later run. The lock records the boot id and the process's start time; a process
 * with that pid that started at another time (or in another boot) is not the writer. Locks
 * written without them (older versions) are stale when the pid's process started after the lock.
 */
function holderAlive(holder: LockHolder): boolean {
  if (!processAlive(holder.pid)) return false;
  const boot = bootId();
  if (holder.boot_id && boot && holder.boot_id !== boot) return false;
  const start = processStart(holder.pid);
  if (start === undefined) return true; // no /proc (not Linux): the pid is all there is to go on
  if (holder.proc_start) return holder.proc_start === start;
  const startedMs = processStartMs(start);
  const lockedMs = Date.parse(holder.started_at);
  return !(startedMs !== undefined && Number.isFinite(lockedMs) && startedMs > lockedMs + 2000);
}

/** The kernel's boot id (Linux), undefined elsewhere. */
export function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), undefined when unknown. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** A start time in ticks as epoch milliseconds (boot time + ticks / USER_HZ, which Linux fixes at 100). */
function processStartMs(ticks: string): number | undefined {
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    return btime === undefined ? undefined : Number(btime) * 1000 + Number(ticks) * 10;
  } catch {
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
