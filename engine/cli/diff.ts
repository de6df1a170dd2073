import { basename, dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { formatDiffText } from '../diff/index.js';
import { diffCsv, diffRuns } from '../publish/run-diff.js';
import { openExistingWorkspace, resolveRunDir } from '../publish/run-ref.js';
import { auditCommand } from './audit.js';
import { optionalInt, optionalOutFile, writeOutFile, type Command } from './command.js';
import { fmt } from '../format.js';

const options = {
  workspace: { type: 'string', short: 'w' },
  out: { type: 'string', short: 'o' },
  bands: { type: 'string' },
  limit: { type: 'string' },
} as const;

/** Parses `--bands 50,200,1000` (increasing positive ranks). */
function parseBands(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((s) => s.trim());
  const ns = parts.map(Number);
  if (parts.some((s) => !/^[1-9][0-9]*$/.test(s)) || ns.some((n, k) => k > 0 && n <= ns[k - 1]!)) {
    throw new UsageError(`diff: --bands must be increasing ranks separated by commas (e.g. 50,200,1000), got "${v}".`);
  }
  return ns;
}

export const command: Command<typeof options> = {
  name: 'diff',
  summary:
    'what changed between two runs: new, escalated, de-escalated, moved only because others left or came in, ' +
    'and dropped cases with why',
  usage: 'diff RUN_A RUN_B [--workspace WS] [--out FILE.csv] [--bands 50,200,1000] [--limit N]',
  help: [
    'RUN_A RUN_B      run ids (with --workspace), "latest" / "previous", or run folders',
    '--workspace WS   workspace holding the runs',
    '--out FILE.csv   write every changed case as CSV (change, entity, ranks, bands, expected yield, cause, why)',
    '--bands LIST     upper ranks of the priority bands (default 50,200,1000)',
    '--limit N        changed cases printed on the terminal (default 30)',
  ],
  example: 'sangloc diff previous latest --workspace workspace --out changes.csv',
  options,
  positionals: true,
  async run(args) {
    if (args.positionals.length !== 2)
      throw new UsageError('diff: give two runs, e.g. `sangloc diff previous latest --workspace WS`.');
    const out = optionalOutFile(this, args);
    const ws =
      typeof args.values.workspace === 'string'
        ? openExistingWorkspace(args.values.workspace, { readOnly: true })
        : undefined;
    const [a, b] = args.positionals.map((p) => resolveRunDir(p, ws)) as [string, string];
    const diff = diffRuns(a, b, { bands: parseBands(args.values.bands as string | undefined) });
    const limit = optionalInt(args, 'limit', 0, 1_000_000) ?? 30;
    // Run folders given without --workspace: the workspace holding run B (WS/runs/<id>), if it is in one.
    const wsOfB = basename(dirname(b)) === 'runs' ? dirname(dirname(b)) : null;
    auditCommand(ws ?? wsOfB, 'diff', args, {
      runId: diff.run_b,
      rows: {
        changes: diff.changes.length,
        shown: Math.min(limit, diff.changes.length),
        ...(out ? { exported: diff.changes.length } : {}),
      },
      detail: `against run ${diff.run_a}${out ? '; changes exported to a file' : ''}`,
    });
    process.stdout.write(formatDiffText(diff, limit));
    if (out) {
      writeOutFile(out, diffCsv(diff));
      process.stdout.write(`  ${fmt().int(diff.changes.length)} changed case(s) written to ${out}\n`);
    }
    return 0;
  },
};
