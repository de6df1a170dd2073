/**
 * The exit codes of `sangloc`, in one table: printed by `sangloc --help`, copied into the README
 * (a test keeps the two equal) and followed by every command.
 */
export const exitCodes: readonly { code: string; meaning: string }[] = [
  { code: '0', meaning: 'done' },
  {
    code: '1',
    meaning:
      'failed, with the reason in one line on stderr (bad input, config or workspace); check: a file would ' +
      'be refused; outcomes import: no row loaded',
  },
  { code: '2', meaning: 'wrong command, flag or argument (with a did-you-mean when one is close)' },
  { code: '3', meaning: 'train: too few audit outcomes to train a model' },
  { code: '70', meaning: 'internal error (a bug): its first line on stderr, the stack with SANGLOC_DEBUG=1' },
  { code: '130, 143', meaning: 'stopped by Ctrl-C (SIGINT) or SIGTERM: a run then publishes nothing' },
];

/** `sangloc status` answers monitoring in the Nagios convention instead. */
export const statusExitNote = 'status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the Nagios plugin convention)';

/** The table as help text, wrapped at `width` columns: `  0         done`. */
export function exitCodeLines(width = 100): string[] {
  const indent = 12;
  const out: string[] = [];
  for (const e of exitCodes) {
    let line = `  ${e.code.padEnd(indent - 2)}`;
    for (const word of e.meaning.split(' ')) {
      if (line.length + word.length + 1 > width && line.trim().length > e.code.length) {
        out.push(line.trimEnd());
        line = ' '.repeat(indent);
      }
      line += (line.endsWith(' ') ? '' : ' ') + word;
    }
    out.push(line);
  }
  return [...out, `  ${statusExitNote}`];
}
