/**
 * The audit line of a command that read or wrote personal data: who (the OS user), what (the
 * command and its arguments, identifier-like values scrubbed), when, and row counts. Written
 * before the data is shown, so a command that cannot record itself shows nothing.
 */
import { auditPath, recordAccess } from '../warehouse/audit.js';
import type { Workspace } from '../warehouse/workspace.js';
import type { ParsedArgs } from './command.js';

/**
 * Appends the command's line to WS/audit.log (or, on a read-only workspace or without one, to the
 * reader's fallback log, said on stderr).
 *
 * @example auditCommand(ws, 'explain', args, { runId, rows: { source_records: 57 }, detail: 'entity E1' });
 */
export function auditCommand(
  ws: Workspace | string | null,
  action: string,
  args: ParsedArgs,
  event: { runId?: string | null; rows: Record<string, number>; detail?: string },
): void {
  const r = recordAccess(ws, { action, args: args.argv, ...event });
  if (ws === null) process.stderr.write(`sangloc: no workspace given; this access is recorded in ${r.file}\n`);
  else if (r.file !== auditPath(ws))
    process.stderr.write(`sangloc: ${auditPath(ws)} cannot be written; this access is recorded in ${r.file}\n`);
}
