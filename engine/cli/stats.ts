import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { openWarehouse } from '../explain/open.js';
import { openExistingWorkspace } from '../publish/run-ref.js';
import { statsCsv } from '../publish/stats-csv.js';
import { formatStatsText, parsePeriod, periodStats } from '../stats/period.js';
import { requireString, type Command, langFromConfig } from './command.js';
import { fmt } from '../format.js';

const options = {
  workspace: { type: 'string', short: 'w' },
  config: { type: 'string', short: 'c' },
  period: { type: 'string', short: 'p' },
  out: { type: 'string', short: 'o' },
} as const;

export const command: Command<typeof options> = {
  name: 'stats',
  summary: 'period statistics by province: sellers per channel, observed and declared revenue, tax gap, audit outcomes',
  usage: 'stats --period 2026-H1|2026-Q3|2026-07|2025 --workspace WS [--out FILE.csv] [--config FILE]',
  help: [
    '--period P       a year (2025), half (2026-H1), quarter (2026-Q3) or month (2026-07)',
    "--workspace WS   a workspace with at least one run (the warehouse's latest state is read)",
    '--out FILE.csv   also write the table as CSV (one row per province, then TOTAL)',
    '--config FILE    the config the runs use (tax rules)',
    'GMV and declarations delivered per quarter or year count for the months they share with the period;',
    "the tax gap is computed on the period's revenue scaled to a year (the threshold is annual).",
  ],
  example: 'sangloc stats --period 2026-H1 --workspace workspace --out stats-2026-H1.csv',
  options,
  async run(args) {
    const period = parsePeriod(requireString(this, args, 'period'));
    const ws = openExistingWorkspace(requireString(this, args, 'workspace'));
    const config = loadConfig(args.values.config as string | undefined);
    langFromConfig(args, config);
    const db = await openWarehouse(ws, { threads: config.threads, memoryLimit: config.memoryLimit });
    let stats: Awaited<ReturnType<typeof periodStats>>;
    try {
      stats = await periodStats(db, period, { taxRules: config.taxRules });
    } finally {
      db.close();
    }
    process.stdout.write(formatStatsText(stats));
    const out = args.values.out as string | undefined;
    if (out) {
      writeFileSync(out, statsCsv(stats), { mode: 0o600 });
      process.stdout.write(
        `sangloc: ${fmt().int(stats.rows.length)} province row(s) and the total written to ${out}\n`,
      );
    }
    return 0;
  },
};
