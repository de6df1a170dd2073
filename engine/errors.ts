/**
 * Every error sangloc raises on purpose lives here, so messages stay consistent: each names
 * the file, line, column or config key at fault and says what to do.
 */

/** Base class: an expected failure with a one-line message fit for stderr. */
export class SanglocError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong flags or arguments on the command line (exit code 2). */
export class UsageError extends SanglocError {
  override readonly exitCode = 2;
}

/** A whole input file or folder cannot be used (one bad row is a reject, not an error). */
export class InputError extends SanglocError {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
    readonly column?: string,
    /** Source settings that fix the problem, when a setting can (`sangloc check` suggests them). */
    readonly fix?: Record<string, unknown>,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}${column ? ` (column ${column})` : ''}: ${message}`);
  }
}

/** Config problems, all reported at once. */
export class ConfigError extends SanglocError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length} config problem(s): ${problems.join('; ')}`);
  }
}

/**
 * A message from a library (DuckDB) with every quoted part blanked except `keep` (e.g. the file's
 * path, shown as its name): DuckDB quotes the value it failed on, and a value of a name or
 * identifier column is personal data that must not reach stderr, a log or report.html.
 *
 * @example withoutQuotedValues('value "Nguyen Van A\xFF" is not valid UTF8!') // 'value "…" is not valid UTF8!'
 */
export function withoutQuotedValues(message: string, keep: Record<string, string> = {}): string {
  return message.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (quoted) => {
    const inner = quoted.slice(1, -1);
    return inner in keep ? `${quoted[0]}${keep[inner]}${quoted[0]}` : `${quoted[0]}…${quoted[0]}`;
  });
}

/** The workspace is in use, damaged, or not a sangloc workspace. */
export class WorkspaceError extends SanglocError {}

/**
 * Revenue that does not add up (engine/features/reconcile.ts): COD parcels or bank credits attributed
 * to a seller yet counted in no revenue with no reason, or a revenue other than the rows it counts.
 * The models lost or doubled money: a bug (exit 70), never a list published on wrong figures. Counts only.
 */
export class RevenueReconciliationError extends SanglocError {
  override readonly exitCode = 70;
  constructor(readonly problems: string[]) {
    super(`revenue does not reconcile: ${problems.join('; ')}`);
  }
}

/**
 * A run that failed after it opened the warehouse: the original error, and the folder keeping its
 * rejects and diagnostics (WS/failed/<run_id>/), named in the message so the last line says where.
 */
export class RunFailedError extends SanglocError {
  override readonly exitCode: number;
  constructor(
    readonly original: Error,
    readonly failedDir: string,
  ) {
    const first = String(original.message).split('\n')[0];
    super(
      `${original instanceof SanglocError ? '' : 'internal error: '}${first} — rejects and diagnostics kept ` +
        `in ${failedDir}`,
    );
    this.exitCode = original instanceof SanglocError ? original.exitCode : 70;
    if (!(original instanceof SanglocError)) this.stack = original.stack;
  }
}
