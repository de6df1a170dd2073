import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../engine/paths.js';
import { findSpark } from '../../engine/spark/submit.js';

const bin = join(packageRoot, 'bin', 'sangloc.js');

/** Runs the CLI (dist/) and returns its status and output. */
export const sangloc = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'Asia/Ho_Chi_Minh', ...env },
  });

/** Runs the CLI in the background (for killing things while it runs). */
export const sanglocAsync = (args: string[]) =>
  spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, TZ: 'Asia/Ho_Chi_Minh' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/**
 * Dirties a generated delivery so ingest rejects rows (a bad amount, a bad date) and copies it.
 * The rows stay in rejects.csv with their reason; both engines must publish the same rejects.
 */
export function addRejects(world: string): void {
  const file = readdirSync(world).find((f) => f.startsWith('cod_shipments_'))!;
  const lines = readFileSync(join(world, file), 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const row = lines[1]!.split(',');
  const amount = header.indexOf('cod_amount');
  const date = header.indexOf('picked_up_on');
  const bad1 = [...row];
  bad1[amount] = 'abc';
  bad1[0] = `${row[0]}X1`;
  const bad2 = [...row];
  bad2[date] = '31/02/2025x';
  bad2[0] = `${row[0]}X2`;
  appendFileSync(join(world, file), `${bad1.join(',')}\n${bad2.join(',')}\n`);
}

/**
 * A re-delivery: the first carrier file again under a new name with every amount restated (+1,000),
 * as a carrier correcting a month; the latest restatement of each parcel wins in staging.
 */
export function reDelivery(world: string, out: string): void {
  const file = readdirSync(world).find((f) => f.startsWith('cod_shipments_'))!;
  const lines = readFileSync(join(world, file), 'utf8').trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const amount = header.indexOf('cod_amount');
  const restated = lines.slice(0, 200).map((l, i) => {
    if (i === 0) return l;
    const f = l.split(',');
    if (/^[0-9]+$/.test(f[amount] ?? '')) f[amount] = String(Number(f[amount]) + 1000);
    return f.join(',');
  });
  writeFileSync(join(out, file.replace('.csv', '_r2.csv')), `${restated.join('\n')}\n`);
  for (const f of ['taxpayers.csv', 'declarations.csv']) copyFileSync(join(world, f), join(out, f));
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A standalone Spark cluster on 127.0.0.1: a master and `workers` workers, as JVMs we own. */
export interface LoopbackCluster {
  url: string;
  master: ChildProcess;
  workers: ChildProcess[];
  stop(): void;
}

export async function startLoopbackCluster(workers = 2, coresPerWorker = 1, memory = '768m'): Promise<LoopbackCluster> {
  const spark = findSpark();
  const sparkHome = join(spark.home, 'lib', readdirSync(join(spark.home, 'lib'))[0]!, 'site-packages', 'pyspark');
  const env = { ...process.env, SPARK_HOME: sparkHome, SPARK_LOCAL_IP: '127.0.0.1', SPARK_NO_DAEMONIZE: '1' };
  const port = await freePort();
  const url = `spark://127.0.0.1:${port}`;
  const cls = (main: string, args: string[]) =>
    spawn(join(sparkHome, 'bin', 'spark-class'), [main, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const master = cls('org.apache.spark.deploy.master.Master', [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--webui-port',
    String(await freePort()),
  ]);
  await waitFor(master, /I have been elected leader|Starting Spark master/, 120_000);
  const ws: ChildProcess[] = [];
  for (let i = 0; i < workers; i++) {
    const w = cls('org.apache.spark.deploy.worker.Worker', [
      '--host',
      '127.0.0.1',
      '--cores',
      String(coresPerWorker),
      '--memory',
      memory,
      '--webui-port',
      String(await freePort()),
      url,
    ]);
    await waitFor(w, /Successfully registered with master/, 120_000);
    ws.push(w);
  }
  return {
    url,
    master,
    workers: ws,
    stop() {
      for (const p of [...ws, master]) if (p.exitCode === null) p.kill('SIGKILL');
    },
  };
}

function waitFor(p: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${seen.slice(-500)}`)), timeoutMs);
    p.stderr!.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4000);
      if (pattern.test(seen)) {
        clearTimeout(t);
        resolve();
      }
    });
    p.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`exited with ${code} before ${pattern}: ${seen.slice(-500)}`));
    });
  });
}
