import { identifierKind, typedValueForMessage } from '../normalize/identifier-kind.js';
import { SanglocError, withoutQuotedValues } from '../errors.js';
import { applyLang, commandHelp, parseCommandArgs, type Command } from './command.js';
import { didYouMean } from '../config/zod-tools.js';
import { engineVersion } from '../version.js';
import { exitCodeLines } from './exit-codes.js';

/**
 * Commands load lazily so `sangloc --help` stays fast. One file per command; the line here is the
 * main help's, one per command (each command's own `summary` says more under `--help`).
 */
const commands: Record<string, { line: string; load: () => Promise<{ command: Command }> }> = {
  run: { line: 'load a delivery, link sellers, score and publish the case list', load: () => import('./run.js') },
  check: {
    line: 'dry-run a delivery: how each file would load (touches no workspace)',
    load: () => import('./check.js'),
  },
  generate: { line: 'write a synthetic delivery with its truth, for trials', load: () => import('./generate.js') },
  evaluate: { line: 'measure a run against the synthetic truth', load: () => import('./evaluate.js') },
  link: { line: 'dedupe one CSV file or link two with a link spec', load: () => import('./link.js') },
  explain: {
    line: "one seller's dossier: records, links, revenue and tax, reasons",
    load: () => import('./explain.js'),
  },
  diff: { line: 'what changed between two runs', load: () => import('./diff.js') },
  'compare-engines': {
    line: 'run a delivery on DuckDB and on Spark, compare the published files',
    load: () => import('./compare-engines.js'),
  },
  outcomes: { line: 'bring audit results back in (outcomes import FILE)', load: () => import('./outcomes.js') },
  train: { line: 'retrain the forest on the audit outcomes', load: () => import('./train.js') },
  models: { line: 'list the trained models and their metrics', load: () => import('./models.js') },
  stats: { line: 'period statistics by province', load: () => import('./stats.js') },
  status: { line: "did last night's run succeed (for people and monitoring)", load: () => import('./status.js') },
  prune: { line: 'apply the retention schedule to runs and delivered rows', load: () => import('./prune.js') },
  backup: { line: 'one consistent backup file of the workspace', load: () => import('./backup.js') },
  restore: { line: 'restore a backup into a new workspace', load: () => import('./restore.js') },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length)) + 2;
  return [
    `sangloc ${engineVersion} — screening e-commerce sellers for undeclared revenue`,
    '',
    'usage: sangloc <command> [flags]    (sangloc <command> --help for its flags and an example)',
    '       sangloc --version',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}${c.line}`),
    '',
    'exit codes:',
    ...exitCodeLines(),
    '',
    'example:',
    '  sangloc run --input data-samples --workspace workspace',
    '',
  ].join('\n');
}

/** ` (did you mean x?)` for a misspelt name, or '' when nothing is close. */
function suggestion(name: string, known: readonly string[]): string {
  const near = didYouMean(name, known);
  return near ? ` (did you mean ${near}?)` : '';
}

/** Runs the CLI with argv (without node and script); returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(engineVersion + '\n');
    return 0;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    const what = name.startsWith('-') ? 'option' : 'command';
    // An ID or phone typed as the command is named by its kind, never echoed.
    const shown = identifierKind(name) ? typedValueForMessage(name) : name;
    process.stderr.write(
      `sangloc: unknown ${what} ${shown}${suggestion(name, [...Object.keys(commands), '--help', '--version'])}. ` +
        `Commands: ${Object.keys(commands).join(', ')} (sangloc --help).\n`,
    );
    return 2;
  }
  const { command } = await entry.load();
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    applyLang(args);
    return await command.run(args);
  } catch (err) {
    if (err instanceof SanglocError) {
      process.stderr.write(`sangloc ${name}: ${err.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return err.exitCode;
    }
    // Unexpected: keep the stack for developers, but on one line first for the nightly log.
    // An unexpected error may quote the value it failed on (DuckDB does): blank it, never print it.
    process.stderr.write(
      `sangloc ${name}: internal error: ${withoutQuotedValues(String((err as Error).message).split('\n')[0]!)}\n`,
    );
    if (process.env.SANGLOC_DEBUG) process.stderr.write(String((err as Error).stack) + '\n');
    return 70;
  }
}
