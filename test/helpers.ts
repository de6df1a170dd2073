import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDb, type Db } from '../engine/warehouse/db.js';

/** An in-memory DuckDB for one test; closed afterwards. */
export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(':memory:');
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** A temp folder removed when the test file finishes. */
export function tempDir(prefix = 'sangloc-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files (name → content) into a folder, creating it. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
