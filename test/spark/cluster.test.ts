/**
 * A real cluster: a standalone master and two workers on 127.0.0.1, started here and stopped after.
 * The run is submitted to it; one worker is killed (SIGKILL) while the Spark jobs run. The run must
 * finish with the same cases as the DuckDB engine (Spark re-runs the lost tasks on the other
 * worker) or fail loudly with nothing published: never a partial list.
 * And a master that is not there fails the run within seconds, nothing published.
 */
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparedFiles } from '../../engine/spark/compare.js';
import { tempDir } from '../helpers.js';
import { freePort, sangloc, sanglocAsync, startLoopbackCluster, type LoopbackCluster } from './helpers.js';

const root = tempDir('sangloc-spark-cluster-');
const world = join(root, 'world');
const config = join(root, 'config.json');
let cluster: LoopbackCluster | undefined;

beforeAll(async () => {
  const g = sangloc(['generate', '--persons', '300', '--seed', '5', '--out', world, '--quiet']);
  expect(g.status, g.stderr).toBe(0);
  // executors small enough for the 768 MB workers; one core each, two workers
  writeFileSync(
    config,
    JSON.stringify({ engine: { sparkConf: { 'spark.executor.memory': '512m', 'spark.executor.cores': '1' } } }),
  );
  cluster = await startLoopbackCluster(2, 1, '768m');
}, 600_000);

afterAll(() => cluster?.stop());

describe('loopback standalone cluster', () => {
  it('a worker killed mid-run: the same cases as DuckDB, or a loud failure with nothing published', async () => {
    const duck = join(root, 'ws-duckdb');
    const d = sangloc(['run', '--input', world, '--workspace', duck, '--quiet']);
    expect(d.status, d.stderr).toBe(0);

    const ws = join(root, 'ws-cluster');
    const child = sanglocAsync([
      'run',
      '--input',
      world,
      '--workspace',
      ws,
      '--config',
      config,
      '--engine',
      'spark',
      '--spark-master',
      cluster!.url,
    ]);
    let err = '';
    let killed = false;
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString('utf8');
      // kill a worker once the first model of the staging job has been written: tasks are running
      if (!killed && /spark: stg_bank_transactions/.test(err)) {
        killed = true;
        cluster!.workers[0]!.kill('SIGKILL');
      }
    });
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    expect(killed, 'the worker was killed during the run').toBe(true);
    if (code === 0) {
      // a second world (seed 5) next to same-answer's: the published files byte-identical to DuckDB's
      for (const f of comparedFiles) {
        const a = readFileSync(join(duck, readlinkSync(join(duck, 'latest')), f));
        const b = readFileSync(join(ws, readlinkSync(join(ws, 'latest')), f));
        expect(b.equals(a), `${f} after losing a worker`).toBe(true);
      }
      // the job really ran on the cluster's executors, not in a local fallback
      expect(err).toMatch(/spark: session on spark:\/\/127\.0\.0\.1:\d+/);
    } else {
      expect(err).toMatch(/Spark job failed at /);
      expect(existsSync(join(ws, 'latest')), 'nothing published').toBe(false);
    }
    console.log(
      `kill-a-worker: run ${code === 0 ? 'finished with the same cases.csv, members.csv and rejects.csv' : `failed loudly (exit ${code})`}`,
    );
  });

  it('a master that does not answer fails the run within seconds, nothing published', async () => {
    const ws = join(root, 'ws-nomaster');
    const port = await freePort();
    const started = Date.now();
    const r = sangloc([
      'run',
      '--input',
      world,
      '--workspace',
      ws,
      '--engine',
      'spark',
      '--spark-master',
      `spark://127.0.0.1:${port}`,
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Spark master spark:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\)/);
    expect(r.stderr).toMatch(/nothing was published/);
    expect(existsSync(join(ws, 'latest'))).toBe(false);
    // ingest (a few seconds for 300 persons) plus the 3 s connection check, never Spark's minutes of retries
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
