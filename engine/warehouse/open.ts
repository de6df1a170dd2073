import { readFileSync } from 'node:fs';
import { WorkspaceError, withoutQuotedValues } from '../errors.js';
import type { Logger } from '../log.js';
import { openDb, type Db } from './db.js';
import type { Workspace } from './workspace.js';

/**
 * The process holding a DuckDB file's lock, from DuckDB's "Conflicting lock is held in … (PID n)",
 * or undefined when that is not the error.
 */
export function warehouseLockHolder(err: unknown): { pid: number | null; program: string | null } | undefined {
  const text = String((err as Error)?.message ?? err);
  if (!/could not set lock on file|conflicting lock/i.test(text)) return undefined;
  const m = /conflicting lock is held in (.*?) \(PID (\d+)\)/i.exec(text);
  return { pid: m ? Number(m[2]) : null, program: m ? m[1]! : null };
}

/**
 * Opens the workspace's warehouse for a run. Another process holding it open (an analyst's DuckDB
 * session, a BI tool) is a lock conflict, not damage: the message says who holds it and, with
 * `wait`, the run polls until it is released (up to `waitMs`). Only a file DuckDB cannot read is
 * called damaged, with the advice to move it aside (the next run rebuilds it from the deliveries).
 *
 * @example const db = await openWarehouse(ws, config, { wait: true, log });
 */
export async function openWarehouse(
  ws: Workspace,
  config: { memoryLimit: string; threads: number },
  opts: { wait?: boolean; waitMs?: number; log?: Logger; pollMs?: number } = {},
): Promise<Db> {
  const deadline = Date.now() + (opts.waitMs ?? 6 * 3600_000);
  let said = false;
  for (;;) {
    try {
      // Row groups are not compacted at the run's checkpoints: DuckDB's vacuum merged the partly filled
      // last row group of each file appended to a raw_ table with the next file's rows, rewriting (and
      // compressing again) every file loaded after the first; at 50,000 persons the commits took 6–8 s of
      // a 27 s ingest, 2.3–2.6 s without (issue 18, novac; docs/ingest.md). A prune that deletes rows
      // copies the warehouse into a fresh, compact file.
      // DuckDB's allocator gives freed memory back on a background thread: without it, what the big
      // models freed stayed resident, and at 200,000 persons the process peaked at 2.9–3.3 GB against the
      // 1.5GB memory limit; with it 2.7 GB (issue 18, alloc47; bench/README.md).
      const options = {
        memoryLimit: config.memoryLimit,
        threads: config.threads,
        tempDirectory: ws.tmpDir,
        compactRowGroups: false,
        backgroundAllocator: true,
      };
      return await openDb(ws.warehouse, options);
    } catch (err) {
      const holder = warehouseLockHolder(err);
      if (!holder) {
        const firstLine = String((err as Error).message).split('\n')[0]!;
        const cause = withoutQuotedValues(firstLine, { [ws.warehouse]: ws.warehouse });
        throw new WorkspaceError(
          `${ws.warehouse} cannot be opened as a DuckDB warehouse (${cause}); ` +
            'move it aside and run again: the next run rebuilds it from the delivery folder',
        );
      }
      const who = holder.pid ? `pid ${holder.pid}${programName(holder.pid, holder.program)}` : 'another process';
      if (!opts.wait || Date.now() > deadline) {
        throw new WorkspaceError(
          `${ws.warehouse} is open in another program (${who}: e.g. an analyst's DuckDB session or a BI tool); ` +
            'the warehouse is not damaged: ' +
            'close that program and run again, or pass --wait to wait until it lets go',
        );
      }
      if (!said) opts.log?.info(`warehouse is open in another program (${who}); waiting for it to let go (--wait)`);
      said = true;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    }
  }
}

/** ` (name)` of a process, from /proc when readable, else DuckDB's program path. */
function programName(pid: number, program: string | null): string {
  try {
    return ` (${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()})`;
  } catch {
    return program ? ` (${program})` : '';
  }
}
