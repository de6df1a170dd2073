/**
 * Fault injection: a run SIGKILLed in each stage publishes nothing, leaves the warehouse usable
 * with no half-loaded file, and the next run gives the case list of an uninterrupted run.
 * Also: the workspace lock, and a damaged warehouse (clear message, rebuild from the deliveries).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../engine/generate/random.js';
import { tempDir } from '../helpers.js';
import { copyTree, lastLine, makeWorld, sangloc, startCli, treeHashes } from './cli.js';
import { checkWarehouse } from './warehouse-check.js';

const runFiles = [
  'cases.csv',
  'cases.xlsx',
  'cases.parquet',
  'cases.json',
  'members.csv',
  'rejects.csv',
  'run.json',
  'report.html',
  'snapshot.duckdb',
];
const stages = ['ingest', 'staging', 'resolve', 'features', 'score', 'publish'] as const;

// Kills right at each stage marker, and for the quick stages also a seeded small delay after it.
const rng = new Rng(20261123, 8);
const scenarios = [
  ...stages.map((stage) => ({ stage, delayMs: 0 })),
  { stage: 'features', delayMs: rng.int(10, 150) },
  { stage: 'score', delayMs: rng.int(5, 60) },
  { stage: 'publish', delayMs: rng.int(10, 150) },
];

/** Runs at most n of the given tasks at once. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((go) => queue.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

describe('a run killed in any stage', () => {
  const root = tempDir('sangloc-kill-');
  const world = join(root, 'world');
  const first = join(root, 'first-delivery');
  const template = join(root, 'ws-template');
  let reference: { cases: Buffer; members: Buffer };

  beforeAll(async () => {
    await makeWorld(world, 150, 8);
    // The workspace already holds one successful run, over an earlier, smaller delivery; the
    // killed run then has new files to load (so ingest does real work when it dies).
    mkdirSync(first);
    for (const f of readdirSync(world).filter((f) =>
      /^(taxpayers|declarations|platform_sellers|cod_shipments_g)/.test(f),
    )) {
      copyFileSync(join(world, f), join(first, f));
    }
    const fresh = sangloc(['run', '--input', world, '--workspace', join(root, 'ws-fresh'), '--quiet']);
    expect(fresh.status, fresh.stderr).toBe(0);
    reference = {
      cases: readFileSync(join(root, 'ws-fresh', 'latest', 'cases.csv')),
      members: readFileSync(join(root, 'ws-fresh', 'latest', 'members.csv')),
    };
    const t = sangloc(['run', '--input', first, '--workspace', template, '--quiet']);
    expect(t.status, t.stderr).toBe(0);
  }, 300_000);

  // Two at a time (each has its own workspace copy): half the wall time on two cores.
  const slots = limiter(2);
  // The timeout covers waiting for a slot behind two other scenarios on a loaded machine.
  it.concurrent.for(scenarios)(
    'at $stage + $delayMs ms: latest untouched, warehouse whole, next run equals an uninterrupted one',
    { timeout: 300_000 },
    ({ stage, delayMs }, { expect }) =>
      slots(async () => {
        const ws = copyTree(template, join(root, `ws-${stage}-${delayMs}`));
        const before = readlinkSync(join(ws, 'latest'));
        const beforeFiles = treeHashes(join(ws, before));
        expect(Object.keys(beforeFiles).sort()).toEqual([...runFiles].sort());

        const killed = await startCli(['run', '--input', world, '--workspace', ws], { kill: { stage, delayMs } });
        expect(killed.killSent, killed.stderr).toBe(true);

        const after = readlinkSync(join(ws, 'latest'));
        if (delayMs === 0) {
          // Killed right as the stage starts: publish cannot have finished.
          expect(killed.signal, `exit ${killed.code}: ${killed.stderr.slice(-600)}`).toBe('SIGKILL');
          expect(after).toBe(before);
        }
        if (killed.signal === 'SIGKILL') {
          // The dead run's lock stays behind; its holder is gone, so the next run takes it over.
          const holder = JSON.parse(readFileSync(join(ws, 'run.lock'), 'utf8')) as { pid: number };
          expect(() => process.kill(holder.pid, 0)).toThrow();
        }
        if (after === before) expect(treeHashes(join(ws, before))).toEqual(beforeFiles);
        else expect(readFileSync(join(ws, after, 'cases.csv'))).toEqual(reference.cases); // the kill came after the atomic switch
        // Whatever sits in runs/ under a final name is complete; anything else is a .partial folder.
        for (const d of readdirSync(join(ws, 'runs')).filter((d) => !d.startsWith('.partial-'))) {
          expect(readdirSync(join(ws, 'runs', d)).sort(), d).toEqual([...runFiles].sort());
        }

        const state = await checkWarehouse(join(ws, 'warehouse.duckdb'));
        expect(state.files.loaded).toBeGreaterThan(0);
        expect(state).toMatchObject({ mismatches: [], loadedTwice: [], orphanRows: 0 });

        // Asynchronous: a blocking spawn here would stall the other scenario's kill timing.
        const next = await startCli(['run', '--input', world, '--workspace', ws]);
        expect(next.code, next.stderr).toBe(0);
        expect(readFileSync(join(ws, 'latest', 'cases.csv'))).toEqual(reference.cases);
        expect(readFileSync(join(ws, 'latest', 'members.csv'))).toEqual(reference.members);
        expect(readdirSync(join(ws, 'runs')).filter((d) => d.startsWith('.partial-'))).toEqual([]);
        const healed = await checkWarehouse(join(ws, 'warehouse.duckdb'));
        expect(healed).toMatchObject({
          files: { loaded: readdirSync(world).filter((f) => f.endsWith('.csv')).length },
          mismatches: [],
          loadedTwice: [],
          orphanRows: 0,
        });
      }),
  );

  describe('the workspace lock', () => {
    it('two runs started together: one runs, the other exits non-zero with the "in use" message', async () => {
      const ws = copyTree(template, join(root, 'ws-together'));
      const both = await Promise.all([0, 1].map(() => startCli(['run', '--input', world, '--workspace', ws])));
      expect(both.map((o) => o.code).sort()).toEqual([0, 1]);
      const loser = both.find((o) => o.code !== 0)!;
      expect(lastLine(loser.stderr)).toMatch(/^sangloc run: workspace .* is in use by another run \(pid \d+.*--wait/);
      expect(readFileSync(join(ws, 'latest', 'cases.csv'))).toEqual(reference.cases);
    });

    it('with --wait the second queues behind the first and then succeeds', async () => {
      const ws = copyTree(template, join(root, 'ws-wait'));
      let second: Promise<Awaited<ReturnType<typeof startCli>>> | undefined;
      const firstRun = await startCli(['run', '--input', world, '--workspace', ws], {
        onStderr: (all) => {
          if (!second && all.includes('sangloc: [ingest] …'))
            second = startCli(['run', '--input', world, '--workspace', ws, '--wait']);
        },
      });
      expect(firstRun.code, firstRun.stderr).toBe(0);
      expect(second).toBeDefined();
      const waited = await second!;
      expect(waited.code, waited.stderr).toBe(0);
      const ids = [firstRun, waited].map((o) => /run (\S+) published/.exec(o.stdout)![1]!);
      expect(readlinkSync(join(ws, 'latest'))).toBe(join('runs', ids[1]!));
      // The second started after the first had loaded everything: it loaded nothing again.
      expect(waited.stderr).toMatch(/ingest: 0 new file\(s\)/);
      for (const id of ids) expect(readFileSync(join(ws, 'runs', id, 'cases.csv'))).toEqual(reference.cases);
    });
  });

  describe('a damaged warehouse', () => {
    const noise = (n: number) => {
      const r = new Rng(77, n);
      return Buffer.from(Array.from({ length: n }, () => r.int(0, 255)));
    };
    it.each([
      { kind: 'random bytes', content: noise(256 * 1024) },
      { kind: 'a text file', content: Buffer.from('Báo cáo tháng 11\nnot a database\n') },
      { kind: 'an empty-looking file of zeros', content: Buffer.alloc(8192) },
    ])('$kind: one clear line saying what to do, latest untouched', ({ kind, content }) => {
      const ws = copyTree(template, join(root, `ws-damaged-${kind.replace(/\W+/g, '-')}`));
      const before = readlinkSync(join(ws, 'latest'));
      writeFileSync(join(ws, 'warehouse.duckdb'), content);
      const r = sangloc(['run', '--input', world, '--workspace', ws]);
      expect(r.status).not.toBe(0);
      expect(r.status).not.toBe(70); // an expected failure, not an internal error
      // The settings line every run starts with, then the one line of the failure.
      const lines = r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('sangloc: config:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /warehouse\.duckdb cannot be opened as a DuckDB warehouse .*move it aside and run again/,
      );
      expect(readlinkSync(join(ws, 'latest'))).toBe(before);
      expect(existsSync(join(ws, 'run.lock'))).toBe(false);
    });

    it('moved aside, it is rebuilt by running the recorded deliveries again: same case list', async () => {
      const ws = copyTree(template, join(root, 'ws-rebuild'));
      const published = {
        cases: readFileSync(join(ws, 'latest', 'cases.csv')),
        members: readFileSync(join(ws, 'latest', 'members.csv')),
      };
      writeFileSync(join(ws, 'warehouse.duckdb'), noise(4096));
      renameSync(join(ws, 'warehouse.duckdb'), join(ws, 'warehouse.duckdb.damaged'));
      // The deliveries, oldest first, as each published run recorded them in run.json.
      const recorded = readdirSync(join(ws, 'runs'))
        .map(
          (d) =>
            JSON.parse(readFileSync(join(ws, 'runs', d, 'run.json'), 'utf8')) as { started_at: string; input: string },
        )
        .sort((a, b) => a.started_at.localeCompare(b.started_at))
        .map((j) => j.input);
      expect(recorded).toEqual([first]);
      for (const input of recorded) {
        const r = sangloc(['run', '--input', input, '--workspace', ws, '--quiet']);
        expect(r.status, r.stderr).toBe(0);
      }
      expect(readFileSync(join(ws, 'latest', 'cases.csv'))).toEqual(published.cases);
      expect(readFileSync(join(ws, 'latest', 'members.csv'))).toEqual(published.members);
      expect(readdirSync(join(ws, 'runs'))).toHaveLength(2);
      expect((await checkWarehouse(join(ws, 'warehouse.duckdb'))).mismatches).toEqual([]);
    });
  });
});
