import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { identifierKind } from '../normalize/identifier-kind.js';
import { buildDossier } from '../explain/dossier.js';
import { maskDossier } from '../explain/mask.js';
import { formatDossierJson, formatDossierText, renderDossierHtml } from '../explain/render.js';
import { openExistingWorkspace, readRunCases, readRunJson, resolveRunDir } from '../publish/run-ref.js';
import { openRunSnapshot } from '../publish/snapshot.js';
import { auditCommand } from './audit.js';
import { optionalInt, optionalOutFile, requireString, writeOutFile, type Command, langFromConfig } from './command.js';

const options = {
  workspace: { type: 'string', short: 'w' },
  config: { type: 'string', short: 'c' },
  run: { type: 'string' },
  format: { type: 'string', short: 'f' },
  rows: { type: 'string' },
  out: { type: 'string', short: 'o' },
  'mask-pii': { type: 'boolean' },
} as const;

const formats = ['text', 'json', 'html'] as const;

/** An entity id as int_entities.sql writes it: `E` and ten upper-case hex digits of an md5. */
const ENTITY_ID = /^E[0-9A-F]{10}$/i;

/**
 * The entity id typed on the command line, upper-cased (ids are hex: `ec364b5e083` is EC364B5E083).
 * Anything else is refused without repeating it: a tax code, ID or phone typed here is personal data
 * that must not reach stderr or a log; the message names its kind and where to find the entity id.
 */
function entityIdArgument(typed: string, runId: string): string {
  const t = typed.trim();
  if (ENTITY_ID.test(t)) return t.toUpperCase();
  const kind = identifierKind(t);
  throw new UsageError(
    `explain: the argument is ${kind ?? 'text'} (not repeated here), not an entity id (E and 10 hex digits, ` +
      `e.g. EDAC4D33858). To find a seller by tax code, national ID or phone, search ` +
      `its row in cases.xlsx or cases.csv of run ${runId} (columns tax_ids, national_ids, phones) and give its ` +
      `entity_id.`,
  );
}

export const command: Command<typeof options> = {
  name: 'explain',
  summary:
    "one seller's dossier: identities, records by source, links and their weights, revenue and tax step by " +
    'step, reasons',
  usage:
    'explain ENTITY_ID --workspace WS [--run ID] [--format text|json|html] [--rows N] [--out FILE] [--config FILE] ' +
    '[--mask-pii]',
  help: [
    'ENTITY_ID        the entity_id column of cases.csv (e.g. EDAC4D33858; upper or lower case)',
    '--workspace WS   the workspace the run wrote to',
    '--run ID         run id, "latest" (default) or a run folder: its case row, tax year and snapshot are read',
    '--format F       text (default), json or html (a self-contained page)',
    '--rows N         source records listed per source (default 25; the summaries count all)',
    '--out FILE       write there instead of stdout',
    '--config FILE    the config the run used (tax rules, resolve method)',
    '--mask-pii       mask tax codes, IDs, phones, accounts and e-mails (also when the config sets output.maskPii)',
    'Reads the run folder and its snapshot.duckdb only (never the live warehouse): works while a run holds',
    'the workspace and on a read-only workspace. Recorded in WS/audit.log (who, entity, counts).',
  ],
  example: 'sangloc explain EDAC4D33858 --workspace workspace --format html --out dossier.html',
  options,
  positionals: true,
  async run(args) {
    if (args.positionals.length !== 1)
      throw new UsageError('explain: give one entity id, e.g. `sangloc explain EDAC4D33858 --workspace WS`.');
    const typed = args.positionals[0]!;
    const format = (args.values.format as string | undefined) ?? 'text';
    if (!(formats as readonly string[]).includes(format))
      throw new UsageError(`explain: --format must be one of ${formats.join(', ')}, got "${format}".`);
    const out = optionalOutFile(this, args);
    const ws = openExistingWorkspace(requireString(this, args, 'workspace'), { readOnly: true });
    const config = loadConfig(args.values.config as string | undefined);
    langFromConfig(args, config);
    const runDir = resolveRunDir((args.values.run as string | undefined) ?? 'latest', ws);
    const run = readRunJson(runDir);
    const entityId = entityIdArgument(typed, run.run_id);
    const caseRow = readRunCases(runDir).find((r) => r.entity_id === entityId) ?? null;
    // The run's snapshot, never the live warehouse: works while the next batch runs, and read-only.
    const db = await openRunSnapshot(runDir, { threads: config.threads });
    let dossier: Awaited<ReturnType<typeof buildDossier>>;
    try {
      dossier = await buildDossier(db, entityId, {
        taxYear: run.tax_year ?? new Date().getFullYear() - 1,
        runId: run.run_id,
        caseRow,
        taxRules: config.taxRules,
        rowsPerSource: optionalInt(args, 'rows', 0, 1_000_000),
        resolveMethod: config.resolve.method,
        workList: run.work_list?.cases,
        activity: config.score.activity,
        searched: `the snapshot of run ${run.run_id} (${join(runDir, 'snapshot.duckdb')})`,
      });
    } finally {
      db.close();
    }
    const masked = Boolean(args.values['mask-pii'] || config.output.maskPii);
    if (masked) dossier = maskDossier(dossier);
    const text =
      format === 'json'
        ? formatDossierJson(dossier)
        : format === 'html'
          ? renderDossierHtml(dossier)
          : formatDossierText(dossier);
    auditCommand(ws, 'explain', args, {
      runId: run.run_id,
      rows: {
        identity_records: dossier.identities.length,
        source_records: dossier.records.reduce((s, r) => s + r.count, 0),
        rows_shown: dossier.records.reduce((s, r) => s + r.rows.length, 0),
        ...(out ? { exported: 1 } : {}),
      },
      detail: `dossier of entity ${entityId} (${format}${masked ? ', masked' : ''})${out ? ' exported to a file' : ''}`,
    });
    if (out) {
      writeOutFile(out, text);
      process.stdout.write(`sangloc: dossier of ${entityId} written to ${out}\n`);
    } else process.stdout.write(text);
    return 0;
  },
};
