import { readFileSync } from 'node:fs';

/**
 * Progress and timing on stderr. Never pass personal data (IDs, phones, accounts, names) here:
 * messages carry counts, stage names and file names only.
 */
import { currentLang, fmt } from './format.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Runs `fn` as a named stage, printing its start and duration; returns its result. */
  stage<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /**
   * Progress inside the current stage: `done` of `total` units (bytes, steps …). On a terminal one
   * line is redrawn with the percentage and the time left; otherwise a plain line at each quarter.
   */
  progress(done: number, total: number): void;
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
  /** Whether stderr is a terminal (default: `process.stderr.isTTY`): progress redraws one line there. */
  tty?: boolean;
  /** Redraws the progress line on a terminal (default: `\r` + text to stderr, no newline). */
  redraw?: (text: string) => void;
  /** Clock in milliseconds (tests pin it). */
  now?: () => number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (line: string) => {
    if (!options.quiet) write(line);
  };
  const timings: Record<string, number> = {};
  const cpuTimings: Record<string, number> = {};
  const peakRssMb: Record<string, number> = {};
  const tty = options.tty ?? (options.write === undefined && process.stderr.isTTY === true);
  const redraw = options.redraw ?? ((text: string) => process.stderr.write(`\r${text}\x1b[K`));
  const now = options.now ?? (() => performance.now());
  // The innermost running stage: what progress belongs to, when it started, the last quarter printed.
  const running: { name: string; started: number; quarter: number; drawn: boolean }[] = [];
  const clearLine = () => {
    const top = running.at(-1);
    if (top?.drawn && !options.quiet) redraw('');
    if (top) top.drawn = false;
  };
  const say = (line: string) => {
    clearLine();
    emit(line);
  };
  return {
    timings,
    cpuTimings,
    peakRssMb,
    info: (message) => say(`sangloc: ${message}`),
    warn: (message) => say(`sangloc: warning: ${message}`),
    async stage<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
      const started = now();
      const cpuStarted = process.cpuUsage();
      say(`sangloc: [${name}] …`);
      running.push({ name, started, quarter: 0, drawn: false });
      let result: T;
      try {
        result = await fn();
      } finally {
        clearLine();
        running.pop();
      }
      const ms = now() - started;
      const cpu = process.cpuUsage(cpuStarted);
      timings[name] = (timings[name] ?? 0) + Math.round(ms);
      cpuTimings[name] = (cpuTimings[name] ?? 0) + Math.round((cpu.user + cpu.system) / 1000);
      peakRssMb[name] = Math.round(peakRssBytes() / 2 ** 20);
      emit(`sangloc: [${name}] done in ${formatMs(ms)}`);
      return result;
    },
    progress(done, total) {
      const top = running.at(-1);
      if (!top || options.quiet || !(total > 0)) return;
      const share = Math.min(1, Math.max(0, done / total));
      const text = `sangloc: [${top.name}] ${progressText(share, now() - top.started)}`;
      if (tty) {
        redraw(text);
        top.drawn = true;
        return;
      }
      const quarter = Math.floor(share * 4);
      if (quarter > top.quarter && quarter < 4) {
        top.quarter = quarter;
        write(text);
      }
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

/**
 * `45 % · about 12 s left` (`45 % · còn khoảng 12 giây` in vi): the share done (whole percent) and
 * the time left at the pace so far (nothing while under 2 % or 1 s in: too early to say).
 *
 * @example progressText(0.5, 10_000) // '50 % · about 10 s left'
 */
export function progressText(share: number, elapsedMs: number): string {
  const pct = `${Math.floor(share * 100)} %`;
  if (share < 0.02 || elapsedMs < 1000 || share >= 1) return pct;
  const left = formatDuration((elapsedMs * (1 - share)) / share);
  return currentLang() === 'vi' ? `${pct} · còn khoảng ${left}` : `${pct} · about ${left} left`;
}

/** Whole seconds under a minute, then minutes (and hours): `12 s`, `3 min`, `1 h 20 min` (`12 giây` in vi). */
function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const vi = currentLang() === 'vi';
  if (s < 60) return vi ? `${s} giây` : `${s} s`;
  const min = Math.round(s / 60);
  const m = vi ? 'phút' : 'min';
  return min < 60 ? `${min} ${m}` : `${Math.floor(min / 60)} ${vi ? 'giờ' : 'h'} ${min % 60} ${m}`;
}

export function formatMs(ms: number): string {
  return fmt().ms(ms);
}

/** A logger that prints nothing; for tests and library use. */
export const silentLogger = (): Logger => createLogger({ quiet: true });
