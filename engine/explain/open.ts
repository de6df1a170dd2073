/** Opening a workspace's warehouse for the analyst commands (explain, stats, outcomes, train). */
import { existsSync } from 'node:fs';
import { WorkspaceError } from '../errors.js';
import { openDb, type Db } from '../warehouse/db.js';
import type { Workspace } from '../warehouse/workspace.js';

/**
 * The warehouse of a workspace that has run at least once. DuckDB lets one process hold the file:
 * while a run is writing, this fails with a message saying so.
 *
 * @example const db = await openWarehouse(ws); try { … } finally { db.close(); }
 */
export async function openWarehouse(
  ws: Workspace,
  opts: { threads?: number; memoryLimit?: string; readOnly?: boolean } = {},
): Promise<Db> {
  if (!existsSync(ws.warehouse))
    throw new WorkspaceError(
      `${ws.root} has no warehouse yet; run \`sangloc run --input DIR --workspace ${ws.root}\` first`,
    );
  try {
    return await openDb(ws.warehouse, {
      threads: opts.threads,
      memoryLimit: opts.memoryLimit,
      tempDirectory: ws.tmpDir,
      readOnly: opts.readOnly,
    });
  } catch (err) {
    const first = (err as Error).message.split('\n')[0]!;
    if (/lock/i.test(first))
      throw new WorkspaceError(`${ws.warehouse} is in use by a running batch; try again when it has finished`);
    throw new WorkspaceError(`${ws.warehouse} cannot be opened (${first})`);
  }
}
