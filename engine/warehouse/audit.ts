/**
 * The workspace audit trail: `WS/audit.log`, one JSON object per line, appended and never
 * rewritten. It answers "who ran or exported what, when, and how many rows" for the office's
 * data-protection officer. It holds no personal data of taxpayers: counts, run ids, actions and a
 * short reason only; digit runs that look like an identifier and e-mail addresses in `detail`
 * are replaced before writing.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
  chmodSync,
  fstatSync,
} from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { WorkspaceError } from '../errors.js';
import type { Workspace } from './workspace.js';

/** What happened. Open-ended, but these are the ones the engine writes. */
export type AuditAction = 'run' | 'run_failed' | 'export' | 'evaluate' | 'rebuild' | (string & {});

export interface AuditEvent {
  action: AuditAction;
  /** Run the event belongs to, if any. */
  runId?: string | null;
  /** Operator; default the OS user running the process. */
  user?: string;
  /** Row counts by name (`cases`, `members`, `rejects` …). Non-finite numbers are dropped. */
  rows?: Record<string, number>;
  /** Short free text (a failure reason); identifier-like digit runs and e-mails are scrubbed, 500 chars at most. */
  detail?: string | null;
  /** The command line as given (flags and arguments), each scrubbed like `detail`. */
  args?: readonly string[];
}

/** One line of WS/audit.log as written. */
export interface AuditRecord {
  ts: string;
  user: string;
  pid: number;
  action: string;
  run_id: string | null;
  rows: Record<string, number>;
  detail: string | null;
  /** The command line, scrubbed (absent in lines of older releases and of events without one). */
  args?: string[];
  /** The workspace, in lines written to the fallback log (when WS/audit.log could not be appended to). */
  workspace?: string;
}

/** Name of the audit file inside a workspace. */
export const AUDIT_FILE = 'audit.log';

/** Path of the audit log of a workspace (a `Workspace` or its root folder). */
export function auditPath(ws: Workspace | string): string {
  return join(typeof ws === 'string' ? resolve(ws) : ws.root, AUDIT_FILE);
}

const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{6}/;
// Nine or more digits, optionally split by spaces, dots or dashes (`+84 912 345 678`, `0100109106-001`).
const LONG_NUMBER = /\+?\d(?:[ .-]?\d){8,}/g;
const EMAIL = /[^\s@<>"'(),;]+@[^\s@<>"'(),;]+\.[a-z]{2,}/gi;

/**
 * Removes what could identify a taxpayer from free text: digit runs of nine or more digits
 * (phones, national ids, tax codes, long accounts) and e-mail addresses. Run ids are kept.
 *
 * @example scrubDetail('phone 0912 345 678 rejected') // 'phone [number] rejected'
 * @example scrubDetail('run 20261123-175332-b76ab5 failed') // unchanged
 */
export function scrubDetail(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(LONG_NUMBER, (m, offset: number, whole: string) => (RUN_ID.test(whole.slice(offset)) ? m : '[number]'))
    .replace(/\s*\n\s*/g, ' ')
    .slice(0, 500);
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  }
}

/**
 * Appends one event to `WS/audit.log` (created owner-only, 0600, opened in append mode so
 * concurrent writers never overwrite each other; one `write` per line, then fsync). A torn last
 * line left by a killed writer is closed first, so it never swallows the new event (with
 * concurrent writers this can leave a blank line, which `readAudit` skips).
 *
 * @example
 *   appendAudit(ws, { action: 'run', runId, rows: { cases: 554, members: 9120, rejects: 0 } });
 *   // WS/audit.log gains: {"ts":"2026-11-23T10:53:32.120Z","user":"tax","pid":4242,"action":"run",…}
 */
export function appendAudit(ws: Workspace | string, event: AuditEvent): AuditRecord {
  const record = auditRecord(event);
  writeAuditLine(auditPath(ws), record);
  return record;
}

/** Appends one record to an audit file (0600, append mode, one write, fsync; a torn last line is closed first). */
function writeAuditLine(file: string, record: AuditRecord): void {
  const fd = openSync(file, 'a+', 0o600);
  try {
    const st = fstatSync(fd);
    // An audit log created by hand or copied with looser permissions is tightened on first use.
    if ((st.mode & 0o077) !== 0) chmodSync(file, 0o600);
    // A writer killed mid-line left a torn line: start on a fresh line so this event stays whole.
    const last = Buffer.alloc(1);
    const torn = st.size > 0 && readSync(fd, last, 0, 1, st.size - 1) === 1 && last[0] !== 0x0a;
    writeSync(fd, (torn ? '\n' : '') + JSON.stringify(record) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Where a reading command records itself when `WS/audit.log` cannot be appended to (a workspace
 * mounted read-only, or not the reader's to write): `SANGLOC_AUDIT_FALLBACK`, else
 * `$XDG_STATE_HOME/sangloc/audit.log`, else `~/.local/state/sangloc/audit.log`.
 */
export function fallbackAuditPath(): string {
  if (process.env.SANGLOC_AUDIT_FALLBACK) return resolve(process.env.SANGLOC_AUDIT_FALLBACK);
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'sangloc', AUDIT_FILE);
}

/**
 * Records that a command read or wrote personal data: in `WS/audit.log`, or, when that cannot be
 * appended to (a read-only workspace), or without a workspace (`null`: run folders given by path),
 * in the reader's own fallback log with the workspace named (`fallbackAuditPath`). Throws when
 * neither can be written: personal data is not shown without a record of who saw it. Returns the
 * file written to.
 *
 * @example recordAccess(ws, { action: 'explain', runId, args, rows: { records: 41 } }).file // '/…/ws/audit.log'
 */
export function recordAccess(ws: Workspace | string | null, event: AuditEvent): { file: string; record: AuditRecord } {
  if (ws !== null) {
    try {
      return { file: auditPath(ws), record: appendAudit(ws, event) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw err;
    }
  }
  const file = fallbackAuditPath();
  const record: AuditRecord = {
    ...auditRecord(event),
    ...(ws !== null ? { workspace: typeof ws === 'string' ? resolve(ws) : ws.root } : {}),
  };
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeAuditLine(file, record);
  } catch (err) {
    throw new WorkspaceError(
      `${ws === null ? 'no workspace audit log' : `${auditPath(ws)} is read-only`} and ${file} cannot be written ` +
        'either ' +
        `(${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); personal data is shown only with a ` +
        'record of who saw it: set SANGLOC_AUDIT_FALLBACK to a file you can append to',
    );
  }
  return { file, record };
}

/** The record `appendAudit` would write for an event, without writing it. */
function auditRecord(event: AuditEvent): AuditRecord {
  const rows: Record<string, number> = {};
  for (const [k, v] of Object.entries(event.rows ?? {})) if (typeof v === 'number' && Number.isFinite(v)) rows[k] = v;
  return {
    ts: new Date().toISOString(),
    user: event.user ?? osUser(),
    pid: process.pid,
    action: event.action,
    run_id: event.runId ?? null,
    rows,
    detail: event.detail == null ? null : scrubDetail(event.detail),
    ...(event.args ? { args: event.args.map((a) => scrubDetail(a)) } : {}),
  };
}

/**
 * Fails early, before a run does any work, when `WS/audit.log` cannot be appended to (a folder in
 * its place, a read-only file system): a run that could not record itself afterwards must not
 * publish. Creates the file (0600) when missing.
 *
 * @example assertAuditWritable(ws) // throws WorkspaceError naming the file and the fix
 */
export function assertAuditWritable(ws: Workspace | string): void {
  const file = auditPath(ws);
  try {
    closeSync(openSync(file, 'a', 0o600));
  } catch (err) {
    throw new WorkspaceError(
      `${file} cannot be appended to (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ` +
        'every run records itself there: make it a writable file of the workspace owner and run again',
    );
  }
}

/**
 * Reads the audit log back, oldest first; a torn last line (a process killed mid-write) is
 * skipped. Missing file → [].
 *
 * @example readAudit('workspace').filter((e) => e.action === 'run_failed')
 */
export function readAudit(ws: Workspace | string): AuditRecord[] {
  let text: string;
  try {
    text = readFileSync(auditPath(ws), 'utf8');
  } catch {
    return [];
  }
  const out: AuditRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as AuditRecord);
    } catch {
      /* torn line */
    }
  }
  return out;
}
