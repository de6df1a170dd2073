import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { buildDossier } from '../explain/dossier.js';
import { openWarehouse } from '../explain/open.js';
import { formatDossierJson, formatDossierText, renderDossierHtml } from '../explain/render.js';
import { openExistingWorkspace, readRunCases, readRunJson, resolveRunDir } from '../publish/run-ref.js';
import { optionalInt, requireString, type Command, langFromConfig } from './command.js';

const options = {
  workspace: { type: 'string', short: 'w' },
  config: { type: 'string', short: 'c' },
  run: { type: 'string' },
  format: { type: 'string', short: 'f' },
  rows: { type: 'string' },
  out: { type: 'string', short: 'o' },
} as const;

const formats = ['text', 'json', 'html'] as const;

export const command: Command<typeof options> = {
  name: 'explain',
  summary:
    "one seller's dossier: identities, records by source, links and their weights, revenue and tax step by " +
    'step, reasons',
  usage:
    'explain ENTITY_ID --workspace WS [--run ID] [--format text|json|html] [--rows N] [--out FILE] [--config FILE]',
  help: [
    'ENTITY_ID        the entity_id column of cases.csv (e.g. EDAC4D33858)',
    '--workspace WS   the workspace the run wrote to',
    '--run ID         run id, "latest" (default) or a run folder: where the case row and tax year come from',
    '--format F       text (default), json or html (a self-contained page)',
    '--rows N         source records listed per source (default 25; the summaries count all)',
    '--out FILE       write there instead of stdout',
    '--config FILE    the config the run used (tax rules, resolve method)',
  ],
  example: 'sangloc explain EDAC4D33858 --workspace workspace --format html --out dossier.html',
  options,
  positionals: true,
  async run(args) {
    if (args.positionals.length !== 1)
      throw new UsageError('explain: give one entity id, e.g. `sangloc explain EDAC4D33858 --workspace WS`.');
    const entityId = args.positionals[0]!;
    const format = (args.values.format as string | undefined) ?? 'text';
    if (!(formats as readonly string[]).includes(format))
      throw new UsageError(`explain: --format must be one of ${formats.join(', ')}, got "${format}".`);
    const ws = openExistingWorkspace(requireString(this, args, 'workspace'));
    const config = loadConfig(args.values.config as string | undefined);
    langFromConfig(args, config);
    const runDir = resolveRunDir((args.values.run as string | undefined) ?? 'latest', ws);
    const run = readRunJson(runDir);
    const caseRow = readRunCases(runDir).find((r) => r.entity_id === entityId) ?? null;
    const db = await openWarehouse(ws, { threads: config.threads });
    let dossier: Awaited<ReturnType<typeof buildDossier>>;
    try {
      dossier = await buildDossier(db, entityId, {
        taxYear: run.tax_year ?? new Date().getFullYear() - 1,
        runId: run.run_id,
        caseRow,
        taxRules: config.taxRules,
        rowsPerSource: optionalInt(args, 'rows', 0, 1_000_000),
        resolveMethod: config.resolve.method,
      });
    } finally {
      db.close();
    }
    const text =
      format === 'json'
        ? formatDossierJson(dossier)
        : format === 'html'
          ? renderDossierHtml(dossier)
          : formatDossierText(dossier);
    const out = args.values.out as string | undefined;
    if (out) {
      writeFileSync(out, text, { mode: 0o600 });
      process.stdout.write(`sangloc: dossier of ${entityId} written to ${out}\n`);
    } else process.stdout.write(text);
    return 0;
  },
};
