import { loadConfig } from '../config/index.js';
import { openExistingWorkspace, readRunJson, resolveRunDir } from '../publish/run-ref.js';
import { openRunSnapshot } from '../publish/snapshot.js';
import { statsCsv } from '../publish/stats-csv.js';
import { dataYears, formatStatsText, parsePeriod, periodStats, type Period } from '../stats/period.js';
import { UsageError } from '../errors.js';
import { auditCommand } from './audit.js';
import { optionalOutFile, requireString, writeOutFile, type Command, langFromConfig } from './command.js';
import { fmt } from '../format.js';

const options = {
  workspace: { type: 'string', short: 'w' },
  config: { type: 'string', short: 'c' },
  period: { type: 'string', short: 'p' },
  run: { type: 'string' },
  out: { type: 'string', short: 'o' },
} as const;

export const command: Command<typeof options> = {
  name: 'stats',
  summary: 'period statistics by province: sellers per channel, observed and declared revenue, tax gap, audit outcomes',
  usage: 'stats --period 2026-H1|2026-Q3|2026-07|2025 --workspace WS [--run ID] [--out FILE.csv] [--config FILE]',
  help: [
    '--period P       a year (2025), half (2026-H1), quarter (2026-Q3) or month (2026-07)',
    '--workspace WS   a workspace with at least one published run',
    '--run ID         run id, "latest" (default) or a run folder: its snapshot.duckdb is read (the data as',
    '                 that run saw it; never the live warehouse, so stats works while a run is going on)',
    '--out FILE.csv   also write the table as CSV (one row per province, then TOTAL)',
    '--config FILE    the config the runs use (tax rules)',
    'GMV and declarations delivered per quarter or year count for the months they share with the period;',
    "the tax gap is computed on the period's revenue scaled to a year (the threshold is annual).",
    'A period in which no revenue, declaration or audit of the run falls is refused (exit 2), naming the years',
    'its data covers.',
  ],
  example: 'sangloc stats --period 2026-H1 --workspace workspace --out stats-2026-H1.csv',
  options,
  async run(args) {
    const period = parsePeriod(requireString(this, args, 'period'));
    const out = optionalOutFile(this, args);
    const ws = openExistingWorkspace(requireString(this, args, 'workspace'), { readOnly: true });
    const config = loadConfig(args.values.config as string | undefined);
    langFromConfig(args, config);
    const runDir = resolveRunDir((args.values.run as string | undefined) ?? 'latest', ws);
    const runId = readRunJson(runDir).run_id;
    const db = await openRunSnapshot(runDir, { threads: config.threads, memoryLimit: config.memoryLimit });
    let stats: Awaited<ReturnType<typeof periodStats>>;
    let years: number[] = [];
    try {
      stats = await periodStats(db, period, { taxRules: config.taxRules, activity: config.score.activity });
      if (stats.rows.length === 0) years = await dataYears(db);
    } finally {
      db.close();
    }
    // A period no data falls in is a wrong argument, not a table of zeros (refused before anything is shown).
    if (stats.rows.length === 0) throw noDataIn(period, runId, years);
    auditCommand(ws, 'stats', args, {
      runId,
      rows: {
        provinces: stats.rows.length,
        sellers: stats.total.sellers,
        audits: stats.total.audits,
        ...(out ? { exported: stats.rows.length + 1 } : {}),
      },
      detail: `period ${stats.period.label}${out ? '; table exported to a file' : ''}`,
    });
    process.stdout.write(formatStatsText(stats));
    if (out) {
      writeOutFile(out, statsCsv(stats));
      process.stdout.write(
        `sangloc: ${fmt().int(stats.rows.length)} province row(s) and the total written to ${out}\n`,
      );
    }
    return 0;
  },
};

/**
 * The error for a period holding no seller's revenue, declaration or audit in the run's data: names the years the
 * data falls in and a period to ask for instead.
 *
 * @example noDataIn(parsePeriod('2052'), 'r1', [2024, 2025]).message
 *   // 'no data of run r1 falls in period 2052 (01/01/2052 … 31/12/2052); its data covers 2024, 2025: …'
 */
export function noDataIn(period: Period, runId: string, years: readonly number[]): UsageError {
  const last = new Date(Date.parse(`${period.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const covers = years.length
    ? `its data covers ${years.join(', ')}: ask for a period of those years, e.g. --period ${years.at(-1)}`
    : 'its snapshot holds no revenue, declaration or audit at all';
  return new UsageError(
    `no data of run ${runId} falls in period ${period.label} (${fmt().date(period.start)} … ` +
      `${fmt().date(last)}); ${covers}`,
  );
}
