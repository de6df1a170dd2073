import { readFileSync } from 'node:fs';

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
  /** CPU milliseconds (user + system, every thread of the process: DuckDB's too) per stage so far. */
  readonly cpuTimings: Record<string, number>;
  /** The process's peak resident memory (MB) when each stage ended: the stage that raised it set it. */
  readonly peakRssMb: Record<string, number>;
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
  const cpuTimings: Record<string, number> = {};
  const peakRssMb: Record<string, number> = {};
  return {
    timings,
    cpuTimings,
    peakRssMb,
    info: (message) => emit(`sangloc: ${message}`),
    warn: (message) => emit(`sangloc: warning: ${message}`),
    async stage(name, fn) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      emit(`sangloc: [${name}] …`);
      const result = await fn();
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(cpuStarted);
      timings[name] = (timings[name] ?? 0) + Math.round(ms);
      cpuTimings[name] = (cpuTimings[name] ?? 0) + Math.round((cpu.user + cpu.system) / 1000);
      peakRssMb[name] = Math.round(peakRssBytes() / 2 ** 20);
      emit(`sangloc: [${name}] done in ${formatMs(ms)}`);
      return result;
    },
  };
}

/**
 * The process's peak resident set size so far: Linux's VmHWM (DuckDB's memory counts, being in the
 * process), else Node's maxRSS (resourceUsage, also a peak, in KB).
 */
export function peakRssBytes(): number {
  try {
    const m = /VmHWM:\s*(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS * 1024;
}

export function formatMs(ms: number): string {
  return fmt().ms(ms);
}

/** A logger that prints nothing; for tests and library use. */
export const silentLogger = (): Logger => createLogger({ quiet: true });
