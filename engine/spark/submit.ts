/**
 * How the engine talks to Spark: a small Python driver (engine/spark/driver.py) run by
 * `spark-submit`, handed a JSON job (models as DuckDB SQL, inputs and outputs as Parquet paths),
 * reporting back as `SANGLOC {json}` lines on stdout. spark-submit is Spark's own, maintained entry
 * point: it works unchanged against local[N], a standalone master, YARN and Kubernetes, and needs
 * no server of ours to keep alive (Spark Connect and the Thrift server would).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/** What the session of a run is started with: Spark settings and the normalisation macros. */
export interface SparkSetup {
  app: string;
  master: string;
  conf: Record<string, string>;
  macros: string;
}

/** One job of a run: the inputs to register as views and the models to build, in order. */
export interface SparkJob {
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
}

type Pending = { resolve: (r: SparkRunReport) => void; reject: (e: Error) => void; started: number };

/**
 * The one Spark driver of a run: `spark-submit driver.py --serve SETUP.json`, started once (its
 * JVM, SparkSession, UDFs and SQL functions are paid for once per run, not per stage), then handed
 * one job file at a time in its work folder. A failed model rejects that job with SparkJobError (the model and
 * Spark's reason); a driver that dies rejects whatever is pending with its exit and last error.
 */
export class SparkDriver {
  private readonly child: ChildProcess;
  private pending: Pending | undefined;
  private models: SparkModelReport[] = [];
  private failed: { stage: string; reason: string } | undefined;
  private exited: Error | undefined;
  private stderrTail: string[] = [];
  private jobs = 0;
  private readonly closed: Promise<void>;
  /** When the session started, in ms after spawning (undefined until then). */
  sessionMs: number | undefined;

  constructor(
    setup: SparkSetup,
    private readonly opts: { workDir: string; log?: Logger; driverMemory?: string; install?: SparkInstall },
  ) {
    const install = opts.install ?? findSpark();
    mkdirSync(opts.workDir, { recursive: true });
    // a folder used before: its jobs and stop file are not this driver's
    for (const f of readdirSync(opts.workDir))
      if (f === 'stop' || /^job-\d+\.json/.test(f)) rmSync(join(opts.workDir, f));
    const setupFile = join(opts.workDir, 'setup.json');
    // the driver stops by itself when this process is gone (driver.py next_job)
    writeFileSync(setupFile, JSON.stringify({ ...setup, parent: process.pid }), { mode: 0o600 });
    const args = [
      '--master',
      setup.master,
      '--driver-memory',
      opts.driverMemory ?? '2g',
      '--conf',
      `spark.pyspark.python=${install.python}`,
      '--conf',
      `spark.pyspark.driver.python=${install.python}`,
      join(packageRoot, 'engine', 'spark', 'driver.py'),
      '--serve',
      setupFile,
    ];
    const env = {
      ...process.env,
      PATH: `${join(install.home, 'bin')}:${process.env.PATH ?? ''}`,
      PYSPARK_PYTHON: install.python,
      PYSPARK_DRIVER_PYTHON: install.python,
      SPARK_LOCAL_IP: process.env.SPARK_LOCAL_IP ?? '127.0.0.1',
    };
    const spawned = performance.now();
    this.child = spawn(install.submit, args, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.workDir });
    let buf = '';
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => {
      buf += chunk;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        if (line.startsWith('SANGLOC ')) this.event(JSON.parse(line.slice(8)) as Record<string, unknown>, spawned);
      }
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      const errors = chunk.split('\n').filter((l) => /ERROR|Exception|Error:/.test(l));
      if (errors.length) this.stderrTail = [...this.stderrTail, ...errors].slice(-5);
    });
    this.closed = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.exited = new SparkJobError('spark-submit', err.message);
        this.settle();
        resolve();
      });
      this.child.on('close', (code, signal) => {
        const why = this.failed
          ? new SparkJobError(this.failed.stage, this.failed.reason)
          : new SparkJobError(
              'spark-submit',
              `exited with ${signal ?? `code ${code}`}` +
                (this.stderrTail.length ? `; last error: ${this.stderrTail.at(-1)!.trim().slice(0, 300)}` : ''),
            );
        this.exited ??= why;
        this.settle();
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private event(ev: Record<string, unknown>, spawned: number): void {
    const log = this.opts.log;
    if (ev.event === 'model') {
      const r = { model: String(ev.model), rows: Number(ev.rows), ms: Number(ev.ms) };
      this.models.push(r);
      log?.info(`  spark: ${r.model} ${r.rows.toLocaleString('en')} rows in ${(r.ms / 1000).toFixed(1)} s`);
    } else if (ev.event === 'session') {
      this.sessionMs = performance.now() - spawned;
      log?.info(
        `  spark: session on ${String(ev.master)} (Spark ${String(ev.version)}) ready after ` +
          `${(this.sessionMs / 1000).toFixed(1)} s`,
      );
    } else if (ev.event === 'failed') {
      this.failed = { stage: String(ev.stage), reason: String(ev.reason) };
      this.settle();
    } else if (ev.event === 'job') {
      this.settle();
    }
  }

  /** Ends the pending job: done when the driver said so, failed otherwise. */
  private settle(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const models = this.models;
    this.models = [];
    if (this.failed) {
      // the job failed, the session did not: a later job may run (the run itself stops at the error)
      p.reject(new SparkJobError(this.failed.stage, this.failed.reason));
      this.failed = undefined;
    } else if (this.exited) p.reject(this.exited);
    else p.resolve({ models, ms: performance.now() - p.started });
  }

  /** Runs one job on the session; rejects with SparkJobError when a model or the driver fails. */
  run(job: SparkJob): Promise<SparkRunReport> {
    if (this.pending) return Promise.reject(new Error('SparkDriver.run: a job is already running'));
    if (this.exited) return Promise.reject(this.exited);
    const file = join(this.opts.workDir, `job-${++this.jobs}.json`);
    return new Promise<SparkRunReport>((resolve, reject) => {
      this.pending = { resolve, reject, started: performance.now() };
      // written whole, then renamed: the driver never reads half a job
      writeFileSync(`${file}.next`, JSON.stringify(job), { mode: 0o600 });
      renameSync(`${file}.next`, file);
    });
  }

  /** Stops Spark: a `stop` file lets the driver stop its session; killed after `graceMs`. */
  async close(graceMs = 30_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    writeFileSync(join(this.opts.workDir, 'stop'), '');
    const timer = setTimeout(() => void this.kill(), graceMs);
    await this.closed;
    clearTimeout(timer);
  }

  /** Stops the driver (a run that failed elsewhere): SIGTERM (Spark's shutdown hooks), SIGKILL after 10 s. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.closed;
    clearTimeout(timer);
  }
}

/** One job on a driver of its own (started, run, stopped): for tools and tests. */
export async function runSparkJob(
  job: SparkSetup & SparkJob,
  opts: { workDir: string; log?: Logger; driverMemory?: string; install?: SparkInstall },
): Promise<SparkRunReport> {
  const driver = new SparkDriver(job, opts);
  try {
    const report = await driver.run(job);
    await driver.close();
    return report;
  } finally {
    await driver.kill();
  }
}
