/**
 * Issue 13, through the built CLI (a real process, as the nightly job runs it): a required source
 * that cannot be loaded (item 5), a Parquet name that is not UTF-8 (item 9), interruption by
 * SIGTERM / SIGINT (item 10), a stale lock whose pid is alive again (item 11), a warehouse held
 * open by another process (item 12), a clock stepped back (item 14).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '../../engine/features/tax-year.js';
import { mstCheckDigit } from '../../engine/normalize/tax-id.js';
import { packageRoot } from '../../engine/paths.js';
import { openDb } from '../../engine/warehouse/db.js';
import { literal } from '../../engine/warehouse/db.js';
import { acquireLock, workspacePaths } from '../../engine/warehouse/workspace.js';
import { readAudit } from '../../engine/warehouse/audit.js';
import { tempDir } from '../helpers.js';
import { bin, lastLine, makeWorld, sangloc } from './cli.js';

const root = tempDir('sangloc-runs-');
const world = join(root, 'world');
const SECRET = 'Zorvath Quix Bímật';

/** Every text file under a folder, concatenated (to search for what must not be there). */
function allText(dir: string): string {
  if (!existsSync(dir)) return '';
  let out = '';
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && !e.name.endsWith('.duckdb') && !e.name.endsWith('.wal'))
      out += readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

/** A copy of the world's delivery with some files replaced. */
function delivery(name: string, change: (dir: string) => void | Promise<void>) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(world)) if (/\.(csv|parquet)$/.test(f)) copyFileSync(join(world, f), join(dir, f));
  return Promise.resolve(change(dir)).then(() => dir);
}

beforeAll(async () => {
  await makeWorld(world, 80, 13);
});

describe('item 5: a source the scores need that cannot be loaded fails the run', () => {
  it('memoryLimit too small to read the returns: exit 1 naming the files and the fix; nothing published', () => {
    const config = join(root, 'small-memory.json');
    // The config's minimum; DuckDB's CSV reader asks for a 152 MiB block, so every CSV fails.
    writeFileSync(config, JSON.stringify({ memoryLimit: '64MB' }));
    const ws = join(root, 'ws-memory');
    const r = sangloc(['run', '--input', world, '--workspace', ws, '--config', config, '--tax-year', '2025']);
    expect(r.status, r.stderr).toBe(1);
    expect(lastLine(r.stderr)).toMatch(
      /could not be loaded, so nothing was published: .*declarations\.csv \(cannot be read: DuckDB ran out of memory reading it \(memory limit [^)]*\); raise "memoryLimit" in the config/,
    );
    expect(existsSync(join(ws, 'latest'))).toBe(false);
    expect(readAudit(ws).map((e) => e.action)).toEqual(['run_failed']);
  });

  it('a carrier file that cannot be read is still a warning: the run publishes', async () => {
    const dir = await delivery('one-bad-carrier', (d) =>
      writeFileSync(join(d, 'cod_shipments_zz.csv'), Buffer.from([0xff, 0xfe, 0x41, 0x00])),
    );
    const r = sangloc(['run', '--input', dir, '--workspace', join(root, 'ws-bad-carrier'), '--quiet']);
    expect(r.status, r.stderr).toBe(0);
  });
});

describe('item 9: a Parquet text value that is not UTF-8 never reaches stderr, rejects.csv or report.html', () => {
  it('the file is reported by name and cause only', async () => {
    const dir = await delivery('bad-parquet', async (d) => {
      // A seller list as Parquet whose owner name carries two bytes that are not UTF-8.
      const db = await openDb(':memory:');
      const file = join(d, 'platform_sellers_tiki.parquet');
      await db.exec(`copy (select 'tiki' as platform, 'S1' as shop_id, ${literal(SECRET)} as owner_name, '2025-03' as period, '1000000' as gmv)
        to ${literal(file)} (format parquet, compression uncompressed, dictionary_size_limit 0)`);
      db.close();
      const bytes = readFileSync(file);
      const at = bytes.indexOf(Buffer.from('Bímật'));
      expect(at).toBeGreaterThan(0);
      bytes[at + 1] = 0xff;
      writeFileSync(file, bytes);
    });
    const ws = join(root, 'ws-parquet');
    const r = sangloc(['run', '--input', dir, '--workspace', ws, '--mask-pii']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('platform_sellers_tiki.parquet: cannot be read: a text value is not valid UTF-8');
    const everything = r.stderr + r.stdout + allText(ws);
    expect(readFileSync(join(ws, 'latest', 'report.html'), 'utf8')).toContain('a text value is not valid UTF-8');
    for (const part of ['Zorvath', 'Quix', 'mật', '\\xFF']) expect(everything).not.toContain(part);
  });
});

/** One marketplace shop's month: observed revenue, which scoring needs besides the registry and returns. */
const oneShop =
  'platform,shop_id,shop_name,owner_name,owner_national_id,owner_tax_id,phone,email,address,province,payout_bank,payout_account,period,gmv,orders,tax_withheld\n' +
  'lazada,10064046,Nhà Mít,Lê Ngọc Hiền,034180908307,,0783573171,,"230 Nguyễn Huệ, Bắc Ninh",Bắc Ninh,VCB,1049267685268,2025-01,4019000,5,0\n';

/** A delivery of two registered sellers, their returns and one shop: a run over it takes a few seconds. */
function tinyDelivery(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'platform_sellers.csv'), oneShop);
  writeFileSync(
    join(dir, 'taxpayers.csv'),
    'tax_id,name,province\n0100109106,Nhà sách Mít,Hà Nội\n0101243150,Trần Thị Hồng,Huế\n',
  );
  writeFileSync(
    join(dir, 'declarations.csv'),
    'tax_id,period,declared_revenue\n0100109106,2025,101600000\n0101243150,2025,90000000\n',
  );
  return dir;
}

/** Starts the CLI; resolves with its exit when it ends. `onStderr` sees stderr as it grows. */
function startRun(args: string[], onStderr?: (all: string, child: ChildProcess) => void) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, TZ: 'Asia/Ho_Chi_Minh' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    onStderr?.(stderr, child);
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) =>
    child.on('close', (code, signal) => done({ code, signal, stderr })),
  );
}

describe('item 10: SIGTERM / SIGINT during a run that decoded a delivery', () => {
  let big: string;
  const config = join(root, 'bank-1258.json');
  beforeAll(() => {
    big = tinyDelivery('legacy-bank');
    // A bank statement in Windows-1258, big enough that reading it takes a while after it is decoded.
    const rows = ['bank,account,holder_name,txn_id,booked_at,amount,direction,description'];
    for (let i = 0; i < 150_000; i++)
      rows.push(
        `VCB,0071000${100000 + (i % 500)},Nguyễn Văn Hùng,T${i},2025-03-01T10:00:00,${100000 + i},credit,chuyển khoản tiền hàng số ${i}`,
      );
    writeFileSync(join(big, 'bank_transactions_vcb.csv'), iconv.encode(rows.join('\r\n') + '\r\n', 'windows-1258'));
    writeFileSync(config, JSON.stringify({ ingest: { sources: { bank_transactions: { encoding: 'windows-1258' } } } }));
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: the decoded copy is removed, the audit log records the interrupted run, the lock is released',
    async (signal) => {
      const ws = join(root, `ws-${signal}`);
      let sent = false;
      const r = await startRun(['run', '--input', big, '--workspace', ws, '--config', config], (all, child) => {
        if (!sent && /bank_transactions_vcb\.csv: delimiter .*windows-1258/.test(all)) {
          sent = true;
          expect(readdirSync(join(ws, 'tmp')).some((n) => n.startsWith('sangloc-utf8-'))).toBe(true);
          child.kill(signal);
        }
      });
      expect(sent, r.stderr).toBe(true);
      expect(r.signal).toBe(signal);
      expect(r.stderr).toContain(`sangloc: interrupted by ${signal}; nothing published`);
      expect(readdirSync(join(ws, 'tmp')).filter((n) => n.startsWith('sangloc-utf8-'))).toEqual([]);
      expect(existsSync(join(ws, 'run.lock'))).toBe(false);
      expect(existsSync(join(ws, 'latest'))).toBe(false);
      const audit = readAudit(ws);
      expect(audit.map((e) => [e.action, e.detail])).toEqual([
        ['run_failed', `interrupted by ${signal}; nothing published, temporary files removed`],
      ]);
    },
  );

  it('a decoded copy left by a killed run (SIGKILL: no cleanup possible) is swept by the next run', () => {
    const ws = join(root, 'ws-sweep');
    mkdirSync(join(ws, 'tmp', 'sangloc-utf8-Ab12Cd'), { recursive: true });
    writeFileSync(join(ws, 'tmp', 'sangloc-utf8-Ab12Cd', 'bank_transactions_vcb.csv'), 'bank,account\nVCB,1\n');
    const r = sangloc(['run', '--input', tinyDelivery('sweep'), '--workspace', ws]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('removed 1 temporary folder(s) a stopped run left in');
    expect(readdirSync(join(ws, 'tmp')).filter((n) => n.startsWith('sangloc-utf8-'))).toEqual([]);
  });
});

describe('item 11: a lock whose pid is alive again (pid reused, pid 1 in a container) is taken over', () => {
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  afterAll(() => sleeper.kill('SIGKILL'));
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const startOf = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  };

  it.each([
    {
      case: "pid 1 (alive: the container's first process), another process start time",
      lock: () => ({ pid: 1, started_at: new Date().toISOString(), boot_id: bootId, proc_start: '7' }),
    },
    {
      case: 'a live pid whose process started after the lock was written (older lock format)',
      lock: () => ({ pid: sleeper.pid, started_at: '2026-01-01T00:00:00.000Z' }),
    },
    {
      case: 'a live pid, same start time but written in an earlier boot',
      lock: () => ({
        pid: sleeper.pid,
        started_at: new Date().toISOString(),
        boot_id: 'an-earlier-boot',
        proc_start: startOf(sleeper.pid!),
      }),
    },
  ])('$case: the run takes the lock over and publishes', ({ case: name, lock }) => {
    const ws = join(root, `ws-lock-${name.replace(/\W+/g, '-').slice(0, 30)}`);
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'run.lock'), JSON.stringify(lock()));
    const r = sangloc(['run', '--input', tinyDelivery('lock'), '--workspace', ws, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(ws, 'run.lock'))).toBe(false);
  });

  it('the lock of a live holder (same pid, boot and start time) still stops a second run', () => {
    const ws = join(root, 'ws-lock-held');
    mkdirSync(ws, { recursive: true });
    writeFileSync(
      join(ws, 'run.lock'),
      JSON.stringify({
        pid: sleeper.pid,
        started_at: new Date().toISOString(),
        boot_id: bootId,
        proc_start: startOf(sleeper.pid!),
      }),
    );
    const r = sangloc(['run', '--input', tinyDelivery('lock'), '--workspace', ws, '--quiet']);
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toContain(`is in use by another run (pid ${sleeper.pid}`);
  });

  it('a lock being written at that instant (empty for a moment) is named by its holder, not "pid ?"', async () => {
    const ws = workspacePaths(join(root, 'ws-lock-writing'));
    mkdirSync(ws.root, { recursive: true });
    writeFileSync(ws.lockFile, ''); // taken with `wx`, not written yet
    const holder = {
      pid: sleeper.pid,
      started_at: new Date().toISOString(),
      boot_id: bootId,
      proc_start: startOf(sleeper.pid!),
    };
    setTimeout(() => writeFileSync(ws.lockFile, JSON.stringify(holder)), 150);
    await expect(acquireLock(ws)).rejects.toThrow(`is in use by another run (pid ${sleeper.pid}`);
  });
});

describe('item 12: a warehouse held open by another program is a lock conflict, not damage', () => {
  /**
   * A separate process holding the warehouse open read-write until a line arrives on its stdin (or
   * `ms` pass); resolves once it is open.
   */
  function holdWarehouse(file: string, ms: number): Promise<ChildProcess> {
    const api = join(packageRoot, 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js');
    const script = `const { DuckDBInstance } = require(${JSON.stringify(api)});
      (async () => { const i = await DuckDBInstance.create(${JSON.stringify(file)}); const c = await i.connect(); await c.run('select 1');
        const close = () => { c.closeSync(); i.closeSync(); process.exit(0); };
        process.stdin.once('data', close); setTimeout(close, ${ms}); process.stdout.write('open\\n'); })();`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    return new Promise((ready) => child.stdout!.once('data', () => ready(child)));
  }

  it('says who holds it and never advises moving the warehouse aside', async () => {
    const ws = join(root, 'ws-held');
    const input = tinyDelivery('held');
    expect(sangloc(['run', '--input', input, '--workspace', ws, '--quiet']).status).toBe(0);
    const holder = await holdWarehouse(join(ws, 'warehouse.duckdb'), 60_000);
    try {
      const r = sangloc(['run', '--input', input, '--workspace', ws]);
      expect(r.status).toBe(1);
      expect(lastLine(r.stderr)).toMatch(
        new RegExp(
          `warehouse\\.duckdb is open in another program \\(pid ${holder.pid} \\(node\\): .*not damaged: close that program and run again, or pass --wait`,
        ),
      );
      expect(r.stderr).not.toMatch(/move it aside|rebuild/);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('with --wait the run waits until the other program lets go, then publishes', async () => {
    const ws = join(root, 'ws-held-wait');
    const input = tinyDelivery('held');
    expect(sangloc(['run', '--input', input, '--workspace', ws, '--quiet']).status).toBe(0);
    const holder = await holdWarehouse(join(ws, 'warehouse.duckdb'), 60_000);
    // The holder lets go once the run says it is waiting for it.
    const r = await startRun(['run', '--input', input, '--workspace', ws, '--wait'], (all) => {
      if (all.includes('waiting for it to let go')) holder.stdin!.end('release\n');
    });
    holder.kill('SIGKILL');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warehouse is open in another program \(pid \d+ \(node\)\); waiting for it to let go \(--wait\)/,
    );
  });
});

describe('item 1: the tax year comes from the bulk of the data and is printed with its reason', () => {
  it("a typo'd 2052-Q1 is a rejected row; an early return of the running year does not move the run off 2025", () => {
    // The running year (by the clock, Asia/Ho_Chi_Minh) is never the default: it has not ended.
    const running = currentYear();
    const codes: string[] = [];
    for (let n = 100100100; codes.length < 20; n++) {
      const check = mstCheckDigit(String(n).padStart(9, '0'));
      if (check !== null) codes.push(String(n).padStart(9, '0') + check);
    }
    const dir = join(root, 'typo-year');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'platform_sellers.csv'), oneShop);
    writeFileSync(
      join(dir, 'taxpayers.csv'),
      ['tax_id,name', ...codes.map((c, k) => `${c},Hộ kinh doanh ${k}`)].join('\n') + '\n',
    );
    writeFileSync(
      join(dir, 'declarations.csv'),
      [
        'tax_id,period,declared_revenue',
        ...codes.map((c) => `${c},2025,120000000`),
        `${codes[0]},${running}-Q1,30000000`,
        `${codes[1]},2052-Q1,30000000`,
      ].join('\n') + '\n',
    );
    const ws = join(root, 'ws-typo-year');
    const r = sangloc(['run', '--input', dir, '--workspace', ws]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('(tax year 2025)');
    expect(r.stderr).toContain(
      "tax year 2025 (latest year with returns from at least 10 % of the busiest year's filers (20 filers in 2025); " +
        `set aside: ${running} (1 filer, not ended yet); a year is screened once it has ended)`,
    );
    const rejects = readFileSync(join(ws, 'latest', 'rejects.csv'), 'utf8');
    expect(rejects).toContain(
      'declarations,declarations.csv,23,period,2052-Q1,period has not begun yet (after the delivery date)',
    );
  });
});
