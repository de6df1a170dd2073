/**
 * How the engine talks to Spark: a small Python driver (engine/spark/driver.py) run by
 * `spark-submit`, handed a JSON job (models as DuckDB SQL, inputs and outputs as Parquet paths),
 * reporting back as `SANGLOC {json}` lines on stdout. spark-submit is Spark's own, maintained entry
 * point: it works unchanged against local[N], a standalone master, YARN and Kubernetes, and needs
 * no server of ours to keep alive (Spark Connect and the Thrift server would).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { SanglocError } from '../errors.js';
import type { Logger } from '../log.js';
import { packageRoot } from '../paths.js';

/** Spark is not installed in the project (`npm run setup:spark`). */
export class SparkNotInstalledError extends SanglocError {}
/** The master named by --spark-master / engine.sparkMaster does not answer. */
export class SparkUnreachableError extends SanglocError {}
/** A Spark job failed: the stage (model) and Spark's reason. */
export class SparkJobError extends SanglocError {
  constructor(
    readonly stage: string,
    readonly reason: string,
  ) {
    super(`Spark job failed at ${stage}: ${reason}`);
  }
}

export interface SparkInstall {
  home: string;
  submit: string;
  python: string;
}

/** The Spark of `npm run setup:spark` (`<project>/.spark`), or an error naming the setup command. */
export function findSpark(root = packageRoot): SparkInstall {
  const home = join(root, '.spark');
  const submit = join(home, 'bin', 'spark-submit');
  const python = join(home, 'bin', 'python');
  if (!existsSync(submit) || !existsSync(python)) {
    throw new SparkNotInstalledError(
      `--engine spark: Spark is not installed in ${home}; run \`npm run setup:spark\` once ` +
        '(installs PyPI pyspark into .spark/, needs python3 and Java 17+), or use --engine duckdb',
    );
  }
  return { home, submit, python };
}

/**
 * Fails within `timeoutMs` when a `spark://host:port` master does not accept a connection (local
 * masters need no check). Spark itself would retry for minutes before giving up.
 */
export async function checkMaster(master: string, timeoutMs = 3000): Promise<void> {
  const m = /^spark:\/\/([^:/]+):(\d+)$/.exec(master);
  if (!m) {
    if (/^(local(\[[0-9*]+(,[0-9]+)?\])?|yarn|k8s:\/\/.+)$/.test(master)) return;
    throw new SparkUnreachableError(
      `--spark-master ${master}: not a Spark master URL; use local[2], spark://HOST:7077, yarn or k8s://…`,
    );
  }
  const [, host, port] = m;
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: host!, port: Number(port) });
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new SparkUnreachableError(
          `Spark master ${master} is unreachable (${why}); start it (docs/spark.md) or run with ` +
            '--spark-master local[2]; nothing was published',
        ),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer in ${timeoutMs / 1000} s`));
    socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}

export interface SparkInput {
  /** Parquet files or folders; none: an empty table of `schema`. */
  paths: string[];
  /** Root of a hive-partitioned layout, so partition columns are read from folder names. */
  base?: string;
  /** Spark DDL schema for an empty input, e.g. `a string, b bigint`. */
  schema?: string;
  /** Columns to leave out (hive partition columns the raw tables do not have). */
  drop?: string[];
}

export interface SparkJob {
  app: string;
  master: string;
  conf: Record<string, string>;
  macros: string;
  variables: Record<string, string | number | boolean>;
  inputs: Record<string, SparkInput>;
  models: { name: string; sql: string }[];
  out: string;
}

export interface SparkModelReport {
  model: string;
  rows: number;
  ms: number;
}

export interface SparkRunReport {
  models: SparkModelReport[];
  ms: number;
  /** Peak resident memory of the spark-submit process tree's driver, when known. */
  pid?: number;
}

/**
 * Runs a job with spark-submit and waits for it. Progress lines go to `log`; a failed model throws
 * SparkJobError with the model and Spark's first line of reason.
 */
export async function runSparkJob(
  job: SparkJob,
  opts: {
    workDir: string;
    log?: Logger;
    driverMemory?: string;
    install?: SparkInstall;
    onSpawn?: (pid: number) => void;
  },
): Promise<SparkRunReport> {
  const install = opts.install ?? findSpark();
  mkdirSync(opts.workDir, { recursive: true });
  const jobFile = join(opts.workDir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
  const args = [
    '--master',
    job.master,
    '--driver-memory',
    opts.driverMemory ?? '1g',
    '--conf',
    `spark.pyspark.python=${install.python}`,
    '--conf',
    `spark.pyspark.driver.python=${install.python}`,
    join(packageRoot, 'engine', 'spark', 'driver.py'),
    jobFile,
  ];
  const env = {
    ...process.env,
    PATH: `${join(install.home, 'bin')}:${process.env.PATH ?? ''}`,
    PYSPARK_PYTHON: install.python,
    PYSPARK_DRIVER_PYTHON: install.python,
    SPARK_LOCAL_IP: process.env.SPARK_LOCAL_IP ?? '127.0.0.1',
  };
  const started = performance.now();
  return new Promise<SparkRunReport>((resolve, reject) => {
    const child = spawn(install.submit, args, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.workDir });
    if (child.pid) opts.onSpawn?.(child.pid);
    const models: SparkModelReport[] = [];
    let failed: { stage: string; reason: string } | undefined;
    let done = false;
    let stderrTail: string[] = [];
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        if (!line.startsWith('SANGLOC ')) continue;
        const ev = JSON.parse(line.slice(8)) as Record<string, unknown>;
        if (ev.event === 'model') {
          const r = { model: String(ev.model), rows: Number(ev.rows), ms: Number(ev.ms) };
          models.push(r);
          opts.log?.info(`  spark: ${r.model} ${r.rows.toLocaleString('en')} rows in ${(r.ms / 1000).toFixed(1)} s`);
        } else if (ev.event === 'session') {
          opts.log?.info(`  spark: session on ${String(ev.master)} (Spark ${String(ev.version)})`);
        } else if (ev.event === 'failed') {
          failed = { stage: String(ev.stage), reason: String(ev.reason) };
        } else if (ev.event === 'done') done = true;
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderrTail = [...stderrTail, ...chunk.split('\n').filter((l) => /ERROR|Exception|Error:/.test(l))].slice(-5);
    });
    child.on('error', (err) => reject(new SparkJobError('spark-submit', err.message)));
    child.on('close', (code, signal) => {
      if (code === 0 && done) {
        resolve({ models, ms: performance.now() - started });
        return;
      }
      if (failed) reject(new SparkJobError(failed.stage, failed.reason));
      else
        reject(
          new SparkJobError(
            'spark-submit',
            `exited with ${signal ?? `code ${code}`} before finishing` +
              (stderrTail.length ? `; last error: ${stderrTail.at(-1)!.trim().slice(0, 300)}` : ''),
          ),
        );
    });
  });
}
