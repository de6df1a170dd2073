import { identifierKind, typedValueForMessage } from '../normalize/identifier-kind.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../config/zod-tools.js';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SanglocError, UsageError } from '../errors.js';
import { langs, parseLang, setLang } from '../format.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** One CLI command: parses flags, calls the engine, returns the exit code. No logic inside. */
export interface Command<O extends Options = Options> {
  name: string;
  summary: string;
  /** Usage line(s) after `sangloc `, e.g. `run --input DIR --workspace WS`. */
  usage: string;
  /** Lines explaining each flag. */
  help: string[];
  example: string;
  options: O;
  /** Whether positional arguments are allowed. */
  positionals?: boolean;
  run(args: ParsedArgs): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** The command line as given, command name first (for the audit log). */
  argv: string[];
}

/** Flags shared by commands that touch a workspace. */
export const workspaceOptions = {
  workspace: { type: 'string', short: 'w' },
  config: { type: 'string', short: 'c' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies Options;

/** Flags every command takes: `--help`, and `--lang` for the language of numbers, dates and texts. */
const sharedOptions = { help: { type: 'boolean', short: 'h' }, lang: { type: 'string' } } as const satisfies Options;

/**
 * Sets the language people read (numbers, dates) from `--lang`; vi when the flag is absent.
 *
 * @example applyLang(args) // after `sangloc stats … --lang en`, fmt().int(1234) === '1,234'
 */
export function applyLang(args: ParsedArgs): void {
  const v = args.values.lang;
  // Each command starts from vi: an earlier in-process command's --lang never leaks into the next.
  if (v === undefined) {
    setLang('vi');
    return;
  }
  const lang = typeof v === 'string' ? parseLang(v) : undefined;
  if (!lang) throw new UsageError(`--lang must be one of ${langs.join(', ')}, got "${String(v)}".`);
  setLang(lang);
}

/**
 * Takes the config's `output.language` when no `--lang` was given (`--lang` wins).
 *
 * @example langFromConfig(args, loadConfig(file)) // sangloc stats --config en.json → English numbers
 */
export function langFromConfig(args: ParsedArgs, config: { output: { language: 'vi' | 'en' } }): void {
  if (args.values.lang === undefined) setLang(config.output.language);
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, ...sharedOptions },
      allowPositionals: command.positionals ?? false,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals, argv: [command.name, ...argv] };
  } catch (err) {
    const message = (err as Error).message;
    // node:util names the flag it does not know: "Unknown option '--worksapce'. To specify …".
    const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(message);
    if (unknown) {
      const near =
        unknown[1] === '--'
          ? didYouMean(unknown[2]!, [...Object.keys(command.options), ...Object.keys(sharedOptions)])
          : undefined;
      throw new UsageError(
        `unknown option ${unknown[1]}${unknown[2]}${near ? ` (did you mean --${near}?)` : ''}. ` +
          `See \`sangloc ${command.name} --help\`.`,
      );
    }
    // node:util quotes the argument it did not expect ("Unexpected argument '0912345678'"): never an ID back.
    const shown = message.replace(/'([^']*)'/g, (quoted, inner: string) =>
      identifierKind(inner) ? typedValueForMessage(inner) : quoted,
    );
    throw new UsageError(`${shown.replace(/\.?\s*$/, '')}. See \`sangloc ${command.name} --help\`.`);
  }
}

export function commandHelp(command: Command): string {
  return [
    `sangloc ${command.name} — ${command.summary}`,
    '',
    `usage: sangloc ${command.usage}`,
    '',
    ...command.help.map((l) => `  ${l}`),
    ...(command.options.lang
      ? []
      : ['  --lang vi|en       language of numbers and dates (default vi: 1.234.567, 0,994)']),
    '',
    'example:',
    `  ${command.example}`,
    '',
  ].join('\n');
}

/** Reads a required string flag or throws a UsageError naming it. */
export function requireString(command: Command, args: ParsedArgs, flag: string): string {
  const v = args.values[flag];
  if (typeof v !== 'string' || v === '') {
    throw new UsageError(`--${flag} is required. See \`sangloc ${command.name} --help\`.`);
  }
  return v;
}

/** Reads an optional integer flag, checking its range. */
export function optionalInt(args: ParsedArgs, flag: string, min = -Infinity, max = Infinity): number | undefined {
  const v = args.values[flag];
  if (v === undefined) return undefined;
  const n = Number(v);
  // Digits only: Number() also reads 2025.0, 2e3, 0x7e9 and ' 2025 ' as integers.
  if (typeof v !== 'string' || !/^-?[0-9]+$/.test(v) || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${flag} must be an integer between ${min} and ${max}, got ${typedValueForMessage(String(v))}.`,
    );
  }
  return n;
}

/** Reads a required integer flag, checking its range. */
export function requireInt(command: Command, args: ParsedArgs, flag: string, min = -Infinity, max = Infinity): number {
  requireString(command, args, flag);
  return optionalInt(args, flag, min, max)!;
}

/**
 * The `--out FILE` of a command, checked before the command does its work: its folder must exist
 * (nothing is created by guess) and the path must not be a folder. Undefined when the flag is absent.
 *
 * @example const out = optionalOutFile(this, args) // --out /nonexistent/x.csv → UsageError, exit 2
 */
export function optionalOutFile(command: Command, args: ParsedArgs, flag = 'out'): string | undefined {
  const v = args.values[flag];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '')
    throw new UsageError(`--${flag} needs a file name. See \`sangloc ${command.name} --help\`.`);
  const abs = resolve(v);
  const dir = dirname(abs);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--${flag} ${v}: the folder ${dirname(v)} does not exist; create it first or write elsewhere`);
  if (existsSync(abs) && statSync(abs).isDirectory())
    throw new UsageError(`--${flag} ${v} is a folder; give a file name inside it`);
  return v;
}

/** Writes an output file (owner-only: it may hold personal data); a failure names the file and the cause. */
export function writeOutFile(out: string, text: string): void {
  try {
    writeFileSync(out, text, { mode: 0o600 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new SanglocError(`cannot write ${out} (${e.code ?? e.message}); check the folder and its permissions`);
  }
}
