/**
 * Progress and timing on stderr. Never pass personal data (IDs, phones, accounts, names) here:
 * messages carry counts, stage names and file names only.
 */
import { fmt } from './format.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Runs `fn` as a named stage, printing its start and duration; returns its result. */
  stage<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /** Milliseconds spent per stage so far, in order. */
  readonly timings: Record<string, number>;
}

export interface LoggerOptions {
  quiet?: boolean;
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (line: string) => {
    if (!options.quiet) write(line);
  };
  const timings: Record<string, number> = {};
  return {
    timings,
    info: (message) => emit(`sangloc: ${message}`),
    warn: (message) => emit(`sangloc: warning: ${message}`),
    async stage(name, fn) {
      const started = performance.now();
      emit(`sangloc: [${name}] …`);
      const result = await fn();
      const ms = performance.now() - started;
      timings[name] = (timings[name] ?? 0) + Math.round(ms);
      emit(`sangloc: [${name}] done in ${formatMs(ms)}`);
      return result;
    },
  };
}

export function formatMs(ms: number): string {
  return fmt().ms(ms);
}

/** A logger that prints nothing; for tests and library use. */
export const silentLogger = (): Logger => createLogger({ quiet: true });
