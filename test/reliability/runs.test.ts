/**
 * Issue 13, through the built CLI (a real process, as the nightly job runs it): a required source
 * that cannot be loaded (item 5), a Parquet name that is not UTF-8 (item 9), interruption by
 * SIGTERM / SIGINT (item 10), a stale lock whose pid is alive again (item 11), a warehouse held
 * open by another process (item 12), a clock stepped back (item 14).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../engine/warehouse/db.js';
import { literal } from '../../engine/warehouse/db.js';
import { readAudit } from '../../engine/warehouse/audit.js';
import { tempDir } from '../helpers.js';
import { lastLine, makeWorld, sangloc } from './cli.js';

const root = tempDir('sangloc-runs-');
const world = join(root, 'world');
const SECRET = 'Zorvath Quix Bímật';

/** Every text file under a folder, concatenated (to search for what must not be there). */
function allText(dir: string): string {
  if (!existsSync(dir)) return '';
  let out = '';
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && !e.name.endsWith('.duckdb') && !e.name.endsWith('.wal')) out += readFileSync(join(e.parentPath, e.name), 'utf8');
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
    writeFileSync(config, JSON.stringify({ memoryLimit: '24MB' }));
    const ws = join(root, 'ws-memory');
    const r = sangloc(['run', '--input', world, '--workspace', ws, '--config', config, '--tax-year', '2025']);
    expect(r.status, r.stderr).toBe(1);
    expect(lastLine(r.stderr)).toMatch(/could not be loaded, so nothing was published: .*declarations\.csv \(cannot be read: DuckDB ran out of memory reading it \(memory limit [^)]*\); raise "memoryLimit" in the config/);
    expect(existsSync(join(ws, 'latest'))).toBe(false);
    expect(readAudit(ws).map((e) => e.action)).toEqual(['run_failed']);
  });

  it('a carrier file that cannot be read is still a warning: the run publishes', async () => {
    const dir = await delivery('one-bad-carrier', (d) => writeFileSync(join(d, 'cod_shipments_zz.csv'), Buffer.from([0xff, 0xfe, 0x41, 0x00])));
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
