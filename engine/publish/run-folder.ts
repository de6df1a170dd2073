import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../warehouse/db.js';
import { literal } from '../warehouse/db.js';
import { neutraliseFormulaSql } from './cells.js';
import type { Workspace } from '../warehouse/workspace.js';

/**
 * A run folder is written under WS/runs/.partial-<id>/ and renamed into place only when complete;
 * WS/latest is then switched with an atomic rename of a fresh symlink. A run that dies before that
 * leaves only a .partial folder, which the next run deletes.
 *
 * @example const dir = beginRunFolder(ws, id); …write files…; commitRunFolder(ws, id);
 */
export function beginRunFolder(ws: Workspace, runId: string): string {
  for (const name of readdirSync(ws.runsDir)) {
    if (name.startsWith('.partial-')) rmSync(join(ws.runsDir, name), { recursive: true, force: true });
  }
  const dir = join(ws.runsDir, `.partial-${runId}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function commitRunFolder(ws: Workspace, runId: string): string {
  const partial = join(ws.runsDir, `.partial-${runId}`);
  const final = ws.runDir(runId);
  for (const f of readdirSync(partial)) chmodSync(join(partial, f), 0o600);
  renameSync(partial, final);
  const tmpLink = join(ws.root, `.latest-${runId}`);
  rmSync(tmpLink, { force: true });
  symlinkSync(join('runs', runId), tmpLink);
  renameSync(tmpLink, ws.latestLink);
  return final;
}

export function abandonRunFolder(ws: Workspace, runId: string): void {
  rmSync(join(ws.runsDir, `.partial-${runId}`), { recursive: true, force: true });
}

/**
 * members.csv: entity_id, source, record_key for every source record that reached an entity
 * (record keys come from the deliveries: formula-neutralised like every spreadsheet output).
 */
export async function writeMembersCsv(db: Db, file: string): Promise<number> {
  await db.exec(`
    copy (
      select e.entity_id, r.source, ${neutraliseFormulaSql('r.record_key')} as record_key
      from int_record_identity r join int_entities e using (record_id)
      order by e.entity_id, r.source, r.record_key
    ) to ${literal(file)} (header, delimiter ',', quote '"')`);
  return (await db.value<number>(`select count(*)::bigint from int_record_identity`)) ?? 0;
}

/**
 * rejects.csv: source, file, line, column, value, reason for every row rejected by this run's
 * loads; every text cell formula-neutralised (a value Excel would run is shown as text).
 */
export async function writeRejectsCsv(db: Db, file: string, runId: string): Promise<number> {
  await db.exec(
    `copy (
       select ${neutraliseFormulaSql('r.source')} as source, ${neutraliseFormulaSql('r.file')} as file, r.line,
              ${neutraliseFormulaSql('r."column"')} as "column", ${neutraliseFormulaSql('r.value')} as value,
              ${neutraliseFormulaSql('r.reason')} as reason
       from rejects r where r.run_id = ${literal(runId)}
       order by r.source, r.file, r.line nulls first
     ) to ${literal(file)} (header, delimiter ',', quote '"')`,
  );
  return (await db.value<number>(`select count(*)::bigint from rejects where run_id = $r`, { r: runId })) ?? 0;
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
}

export const runFolderExists = (ws: Workspace, runId: string) => existsSync(ws.runDir(runId));
