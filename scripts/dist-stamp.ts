/**
 * The stamp saying which sources dist/ was built from: a SHA-256 over the path and content of
 * every build input. `npm run build` writes it after `tsc`; the test setup (test/global-setup.ts)
 * rebuilds dist/ when it differs, so tests that start the CLI or workers never run a stale build.
 *
 * @example npx tsx scripts/dist-stamp.ts   # writes dist/.sources-sha256
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../engine/paths.js';

/** Folders and files `tsc -p tsconfig.build.json` reads (see its "include"). */
const inputs = ['engine', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
export const distDir = join(packageRoot, 'dist');
const stampFile = join(distDir, '.sources-sha256');

function listInputs(path: string, out: string[]): void {
  if (statSync(path).isFile()) {
    out.push(path);
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'out', 'results'].includes(entry.name)) listInputs(p, out);
    } else if (entry.name.endsWith('.ts')) out.push(p);
  }
}

/** SHA-256 over the path and content of every build input, in a fixed order. */
export function sourcesHash(): string {
  const files: string[] = [];
  for (const i of inputs) if (existsSync(join(packageRoot, i))) listInputs(join(packageRoot, i), files);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) h.update(relative(packageRoot, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

/** The hash dist/ was last built from ('' when never stamped). */
export const readStamp = (): string => (existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '');

export function writeStamp(hash = sourcesHash()): void {
  mkdirSync(distDir, { recursive: true });
  writeFileSync(stampFile, `${hash}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeStamp();
