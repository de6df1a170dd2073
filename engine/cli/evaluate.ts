import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { defaultKs, evaluateRun, formatEvaluation, saveEvaluation } from '../evaluate/index.js';
import { optionalOutFile, requireString, type Command } from './command.js';

const options = {
  truth: { type: 'string' },
  run: { type: 'string' },
  input: { type: 'string' },
  k: { type: 'string' },
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** Parses `--k 50,100,200` into positive integers. */
function parseKs(value: string | undefined): number[] {
  if (value === undefined) return [...defaultKs];
  const ks = value.split(',').map((s) => s.trim());
  if (ks.some((s) => !/^[1-9][0-9]*$/.test(s))) {
    throw new UsageError(
      `evaluate: --k must be positive integers separated by commas (e.g. 50,100,200), got "${value}".`,
    );
  }
  return ks.map(Number);
}

export const command: Command<typeof options> = {
  name: 'evaluate',
  summary: 'measure a run against the synthetic truth of its delivery',
  usage: 'evaluate --truth DIR --run DIR [--input DIR] [--k 50,100,200] [--out FILE.json]',
  help: [
    "--truth DIR   the delivery's truth/ folder (persons.csv, records.csv)",
    '--run DIR     a run folder WS/runs/<id>, or WS/latest',
    '--input DIR   the delivery folder with outcomes*.csv (default: parent of --truth)',
    '--k LIST      cut-offs for precision@K and yield@K (default 50,100,200)',
    '--out FILE    where to write the JSON (default <run>/evaluation.json)',
    '--quiet       no progress on stderr',
  ],
  example: 'sangloc evaluate --truth generated/truth --run workspace/latest --k 50,100',
  options,
  async run(args) {
    const truthDir = requireString(command, args, 'truth');
    const runDir = requireString(command, args, 'run');
    const ks = parseKs(args.values.k as string | undefined);
    const outFile = optionalOutFile(command, args);
    const logger = createLogger({ quiet: args.values.quiet === true });
    const evaluation = await evaluateRun({
      truthDir,
      runDir,
      inputDir: args.values.input as string | undefined,
      ks,
      logger,
    });
    const out = outFile ?? join(evaluation.runDir, 'evaluation.json');
    saveEvaluation(evaluation, out);
    process.stdout.write(formatEvaluation(evaluation));
    logger.info(`evaluation written to ${out}`);
    return 0;
  },
};
