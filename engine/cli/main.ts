import { SanglocError, withoutQuotedValues } from '../errors.js';
import { applyLang, commandHelp, parseCommandArgs, type Command } from './command.js';
import { engineVersion } from '../version.js';

/** Commands load lazily so `sangloc --help` stays fast. One file per command. */
const commands: Record<string, () => Promise<{ command: Command }>> = {
  run: () => import('./run.js'),
  check: () => import('./check.js'),
  generate: () => import('./generate.js'),
  evaluate: () => import('./evaluate.js'),
  link: () => import('./link.js'),
  explain: () => import('./explain.js'),
  diff: () => import('./diff.js'),
  outcomes: () => import('./outcomes.js'),
  train: () => import('./train.js'),
  models: () => import('./models.js'),
  stats: () => import('./stats.js'),
  status: () => import('./status.js'),
  prune: () => import('./prune.js'),
  backup: () => import('./backup.js'),
  restore: () => import('./restore.js'),
};

function mainHelp(): string {
  return [
    `sangloc ${engineVersion} — screening e-commerce sellers for undeclared revenue`,
    '',
    'usage: sangloc <command> [flags]    (sangloc <command> --help for details)',
    '',
    'commands:',
    ...Object.keys(commands).map((c) => `  ${c}`),
    '',
    'example:',
    '  sangloc run --input data-samples --workspace workspace',
    '',
  ].join('\n');
}

/** Runs the CLI with argv (without node and script); returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(engineVersion + '\n');
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`sangloc: unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}.\n`);
    return 2;
  }
  const { command } = await load();
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
