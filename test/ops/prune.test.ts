/**
 * `sangloc prune` removes only what the retention schedule says, and nothing still needed: the
 * latest run, the newest `retention.runs`, the runs an audit outcome points to, delivered rows of
 * recent files, registry rows still current. A dry run changes no byte of the workspace.
 *
 * The workspace: a 150-person world (seed 8). Run A loads it without its outcomes (so A's case
 * list still shows the sellers audited later), run B loads the outcomes and a restated slice of
 * the registry. Three more run folders are copies with older ids: one of A (a run that listed
 * audited sellers) and two of B (which list none: audited sellers are left out). Then the files
 * of run A's bank extracts and registry are dated 11 years back, and two rejects are added (one
 * of an expired file, one of a recent one).
 */
import { cpSync, existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config/index.js';
import { silentLogger } from '../../engine/log.js';
import { formatPrune, pruneWorkspace, runsReferencedByOutcomes, type PruneReport } from '../../engine/ops/prune.js';
import { runBatch } from '../../engine/run.js';
import { readAudit } from '../../engine/warehouse/audit.js';
import { openDb } from '../../engine/warehouse/db.js';
import { openWorkspace } from '../../engine/warehouse/workspace.js';
import { tempDir } from '../helpers.js';
import { makeWorld, treeHashes, treeModes } from '../reliability/cli.js';

const root = tempDir('sangloc-prune-');
const world = join(root, 'world');
const early = join(root, 'early');
const wsDir = join(root, 'ws');
const config = loadConfig(undefined, { threads: 1 });
const retention = { runs: 1, years: 10 };
const NOW = new Date();
const ids = {
  fakeA: '20240101-010000-a00001',
  fakeB1: '20240102-010000-b00001',
  fakeB2: '20240103-010000-b00002',
  runA: '',
  runB: '',
};
let expiredBankRows = 0;
let taxpayersTotal = 0;

function copyRun(from: string, id: string): void {
  const ws = openWorkspace(wsDir);
  cpSync(ws.runDir(from), ws.runDir(id), { recursive: true });
  const file = join(ws.runDir(id), 'run.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), run_id: id }));
}

beforeAll(async () => {
  await makeWorld(world, 150, 8);
  cpSync(world, early, {
    recursive: true,
    filter: (p) => !basename(p).startsWith('outcomes') && basename(p) !== 'truth',
  });
  ids.runA = (await runBatch({ input: early, workspace: wsDir, config, log: silentLogger() })).runId;
  // B: the outcomes, and 10 registry rows delivered again (they supersede A's, which become history).
  const registry = readFileSync(join(world, 'taxpayers.csv'), 'utf8').split('\n');
  writeFileSync(join(world, 'taxpayers_restated.csv'), registry.slice(0, 11).join('\n') + '\n');
  ids.runB = (await runBatch({ input: world, workspace: wsDir, config, log: silentLogger() })).runId;
  copyRun(ids.runA, ids.fakeA);
  copyRun(ids.runB, ids.fakeB1);
  copyRun(ids.runB, ids.fakeB2);
  const db = await openDb(join(wsDir, 'warehouse.duckdb'));
  try {
    await db.exec(
      `update ingest_files set loaded_at = now() - interval 11 year where run_id = $a and source in ('bank_transactions', 'taxpayers')`,
      { a: ids.runA },
    );
    expiredBankRows =
      (await db.value<number>(
        `select count(*)::int from raw_bank_transactions r join ingest_files f on f.file_id = r._file_id where f.run_id = $a`,
        { a: ids.runA },
      )) ?? 0;
    taxpayersTotal = (await db.value<number>('select count(*)::int from raw_taxpayers')) ?? 0;
    await db.exec(
      `insert into rejects
      select $a, min(file_id), 'bank_transactions', 'bank_transactions_x.csv', 7, 'amount', 'abc', 'test: expired' from ingest_files where run_id = $a and source = 'bank_transactions'
      union all select $a, min(file_id), 'cod_shipments', 'cod_shipments_x.csv', 9, 'cod_amount', 'abc', 'test: recent' from ingest_files where run_id = $a and source = 'cod_shipments'`,
      { a: ids.runA },
    );
  } finally {
    db.close();
  }
}, 300_000);

const counts = async () => {
  const db = await openDb(join(wsDir, 'warehouse.duckdb'), { readOnly: true });
  try {
    const out: Record<string, number> = {};
    for (const t of [
      'raw_taxpayers',
      'raw_declarations',
      'raw_platform_sellers',
      'raw_websites',
      'raw_cod_shipments',
      'raw_bank_transactions',
      'raw_outcomes',
    ]) {
      out[t] = (await db.value<number>(`select count(*)::int from ${t}`)) ?? 0;
    }
    out.rejects_test = (await db.value<number>(`select count(*)::int from rejects where reason like 'test:%'`)) ?? 0;
    out.current_taxpayers_missing =
      (await db.value<number>(
        `select count(*)::int from stg_taxpayers s where not exists (select 1 from raw_taxpayers r where r._file_id = s._file_id and r._line = s._line)`,
      )) ?? 0;
    return out;
  } finally {
    db.close();
  }
};

describe('sangloc prune', () => {
  let dry: PruneReport;
  let before: Record<string, number>;

  it('finds the runs audit outcomes point to: the copy of A (first to list them) and A, not the copies of B', async () => {
    const db = await openDb(join(wsDir, 'warehouse.duckdb'), { readOnly: true });
    try {
      const refs = await runsReferencedByOutcomes(db, openWorkspace(wsDir), [
        ids.fakeA,
        ids.fakeB1,
        ids.fakeB2,
        ids.runA,
        ids.runB,
      ]);
      expect([...refs.keys()].sort()).toEqual([ids.fakeA, ids.runA]);
    } finally {
      db.close();
    }
  });

  it('--dry-run changes nothing (every byte, mode and the audit log) and says what would go', async () => {
    const hashes = treeHashes(wsDir);
    const modes = treeModes(wsDir);
    before = await counts();
    dry = await pruneWorkspace(openWorkspace(wsDir), { retention, dryRun: true, log: silentLogger(), now: NOW });
    expect(treeHashes(wsDir)).toEqual(hashes);
    expect(treeModes(wsDir)).toEqual(modes);
    expect(dry.runs_removed).toEqual([ids.fakeB1, ids.fakeB2]);
    expect(dry.runs_kept).toEqual(
      [
        { run_id: ids.fakeA, why: [expect.stringMatching(/^outcomes \(\d+\)$/)] },
        { run_id: ids.runA, why: [expect.stringMatching(/^outcomes \(\d+\)$/)] },
        { run_id: ids.runB, why: ['latest', 'newest 1'] },
      ].map((k) => expect.objectContaining(k)),
    );
    expect(dry.rows_removed).toEqual({ bank_transactions: expiredBankRows, taxpayers: 10 });
    expect(dry.rows_kept_current.taxpayers).toBe(taxpayersTotal - 10 - 10); // A's rows minus the 10 restated
    expect(dry.rejects_removed).toBeGreaterThanOrEqual(1);
    const text = formatPrune(dry);
    expect(text.split('\n')[0]).toMatch(
      /^sangloc prune \(dry run: nothing changed\): would remove 2 run folder\(s\), [\d.]+ delivered row\(s\)/,
    );
    writeFileSync(join(root, 'prune-dry-run.txt'), text);
  });

  it('removes exactly what the dry run listed, keeps everything still needed, records it in audit.log', async () => {
    const ws = openWorkspace(wsDir);
    const latestFiles = treeHashes(ws.runDir(ids.runB));
    const r = await pruneWorkspace(ws, { retention, dryRun: false, log: silentLogger(), now: NOW });
    expect({ ...r, dry_run: true, warehouse_bytes_after: null }).toEqual({ ...dry, warehouse_bytes_after: null });
    expect(readdirSync(ws.runsDir).sort()).toEqual([ids.fakeA, ids.runA, ids.runB]);
    expect(basename(realpathSync(ws.latestLink))).toBe(ids.runB);
    expect(treeHashes(ws.runDir(ids.runB))).toEqual(latestFiles);
    const after = await counts();
    expect(after).toEqual({
      ...before,
      raw_bank_transactions: before.raw_bank_transactions! - expiredBankRows,
      raw_taxpayers: before.raw_taxpayers! - 10,
      rejects_test: 1, // the recent file's reject stays
      current_taxpayers_missing: 0,
    });
    expect(r.warehouse_bytes_after!).toBeLessThan(r.warehouse_bytes_before!);
    expect(existsSync(`${ws.warehouse}.compact`)).toBe(false);
    const last = readAudit(ws).at(-1)!;
    expect(last).toMatchObject({
      action: 'prune',
      rows: { runs_removed: 2, runs_kept: 3, raw_bank_transactions: expiredBankRows, raw_taxpayers: 10 },
    });
    expect(last.detail).toMatch(
      /retention 1 runs \/ 10 years .*runs removed 20240102-010000-b00001 … 20240103-010000-b00002/,
    );
    // A second prune finds nothing more to do.
    const again = await pruneWorkspace(ws, { retention, dryRun: false, log: silentLogger(), now: NOW });
    expect([again.runs_removed, again.rows_removed, again.files_expired, again.rejects_removed]).toEqual([
      [],
      {},
      0,
      0,
    ]);
  });

  it('the pruned workspace runs again (schema, macros and ledger intact)', async () => {
    rmSync(join(world, 'taxpayers_restated.csv'));
    const r = await runBatch({ input: world, workspace: wsDir, config, log: silentLogger() });
    expect(r.cases).toBeGreaterThan(0);
    expect(r.load.files.every((f) => f.status === 'skipped')).toBe(true); // pruned files are not loaded again
  });
});
