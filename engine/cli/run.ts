import { relative } from 'node:path';
import { loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { createLogger, formatMs } from '../log.js';
import { runBatch, type RunResult } from '../run.js';
import { optionalInt, requireString, workspaceOptions, type Command } from './command.js';
import { fmt, setLang } from '../format.js';
import type { LoadProblem } from '../ingest/report.js';

export const command: Command = {
  name: 'run',
  summary: 'load a delivery, link sellers, score and publish the case list',
  usage:
    'run --input DIR --workspace WS [--tax-year Y] [--config FILE] [--mask-pii] [--lang vi|en] [--wait]' +
    ' [--engine duckdb|spark] [--spark-master URL]',
  help: [
    '--input DIR        delivery folder (files named as in docs/contract.md: taxpayers.csv, cod_shipments_*.csv …)',
    '--workspace WS     workspace folder; created if missing (warehouse.duckdb, runs/, latest)',
    '--tax-year Y       tax year to screen (default: the latest year that has ended with returns from at least ' +
      '10 % of the filers of the busiest such year; the running year is set aside until it ends); it must have ' +
      'ended (exit 2 otherwise) and hold observed revenue (the run fails otherwise, naming the years it does)',
    '--config FILE      JSON config overriding the defaults (tax rules, capacity, memory limit …); every key: ' +
      'docs/config.md',
    '--mask-pii         mask IDs, phones and accounts in every export',
    '--lang vi|en       language of reasons, numbers and dates (default vi: 1.234.567, 0,994)',
    '--wait             wait for a run already holding the workspace instead of exiting',
    '--engine E         where the SQL models run: duckdb (default) or spark (needs `npm run setup:spark`; ' +
      'docs/spark.md)',
    '--spark-master URL Spark master with --engine spark: local[2] (default), spark://HOST:7077, yarn, k8s://…',
    '--quiet            no progress on stderr',
  ],
  example: 'sangloc run --input data-samples --workspace workspace',
  options: {
    ...workspaceOptions,
    input: { type: 'string', short: 'i' },
    'tax-year': { type: 'string' },
    'mask-pii': { type: 'boolean' },
    lang: { type: 'string' },
    wait: { type: 'boolean' },
    engine: { type: 'string' },
    'spark-master': { type: 'string' },
  },
  async run(args) {
    const input = requireString(this, args, 'input');
    const workspace = requireString(this, args, 'workspace');
    const taxYear = optionalInt(args, 'tax-year', 2000, 2100);
    const lang = args.values.lang as string | undefined;
    const engine = args.values.engine as string | undefined;
    if (engine !== undefined && engine !== 'duckdb' && engine !== 'spark')
      throw new UsageError(`run: --engine ${engine}: use duckdb or spark`);
    const master = args.values['spark-master'] as string | undefined;
    if (master !== undefined && engine !== 'spark') throw new UsageError('run: --spark-master needs --engine spark');
    const config = loadConfig(args.values.config as string | undefined, {
      ...(engine || master
        ? { engine: { ...(engine ? { name: engine } : {}), ...(master ? { sparkMaster: master } : {}) } }
        : {}),
      output: {
        ...(args.values['mask-pii'] ? { maskPii: true } : {}),
        ...(lang ? { language: lang as 'vi' | 'en' } : {}),
      },
    });
    setLang(config.output.language);
    const log = createLogger({ quiet: Boolean(args.values.quiet) });
    const started = performance.now();
    const result = await runBatch({
      input,
      workspace,
      config,
      taxYear,
      log,
      wait: Boolean(args.values.wait),
      argv: args.argv,
    });
    const fromHere = relative(process.cwd(), result.runDir);
    const rel = fromHere && !fromHere.startsWith('..') ? fromHere : result.runDir;
    const lost = result.loadProblems;
    process.stdout.write(
      [
        `sangloc: run ${result.runId} published in ${formatMs(performance.now() - started)} (tax ` +
          `year ${result.taxYear})` +
          (lost.length ? `, WITHOUT ${fmt().int(lost.length)} file(s) that could not be loaded:` : ':'),
        ...lostLines(lost, input),
        ...workListLines(result),
        `  case list: ${rel}/cases.xlsx (also .csv, .parquet, .json: the full ranking)`,
        `  report:    ${rel}/report.html`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};

/**
 * The headline's lines for the files of an observed source the run lost whole (refused, or every row rejected),
 * first, so a person reading only the headline sees the list is incomplete and what to do.
 */
export function lostLines(lost: readonly LoadProblem[], input: string): string[] {
  if (lost.length === 0) return [];
  return [
    ...lost.map((p) => `  NOT LOADED: ${p.file} (${p.source}): ${p.reason}`),
    `  the list lacks the rows of ${lost.length === 1 ? 'this file' : 'these files'}; fix ` +
      `${lost.length === 1 ? 'it' : 'them'} (\`sangloc check --input ${input}\` shows how) and run again: ` +
      'only the files not loaded are read again',
  ];
}

/**
 * The headline's count of cases: the work list (scored picks and the random control slice) and how many of its cases
 * have an expected yield; every other entity is only in the full ranking.
 */
export function workListLines(result: Pick<RunResult, 'entities' | 'cases' | 'workList'>): string[] {
  const n = (v: number) => fmt().int(v);
  const w = result.workList;
  return [
    `  work list: ${n(w.cases)} cases (${n(w.scored)} by expected yield + ${n(w.control)} random control), ` +
      `${n(w.with_expected_yield)} with expected yield > 0, ${n(w.expected_yield_vnd)} VND expected in all`,
    `  ${n(result.entities)} seller entities resolved; ${n(result.cases)} ranked in the case files`,
  ];
}
