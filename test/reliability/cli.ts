/**
 * Helpers for the reliability tests: drive the built CLI (bin/sangloc.js → dist/) as a real
 * process, kill it at a stage, and compare workspace trees.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../../engine/paths.js';
import { generateWorld } from '../../engine/generate/index.js';
import { silentLogger } from '../../engine/log.js';

export const bin = join(packageRoot, 'bin', 'sangloc.js');
const env = { ...process.env, TZ: 'Asia/Ho_Chi_Minh' };

/** Runs the CLI to completion. */
export function sangloc(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
}

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the test sent SIGKILL (the process may still have finished first). */
  killSent: boolean;
}

export interface KillAt {
  /** Stage whose start marker (`sangloc: [<stage>] …`) triggers the kill. */
  stage: string;
  /** Extra wait after the marker before SIGKILL. */
  delayMs?: number;
}

// A tiny supervisor process spawns the CLI and kills it at the marker. It does nothing else, so
// the kill lands within a few ms of the marker even when the test process is busy (copying a
// workspace, hashing files) with another scenario.
const supervisor = `
const { spawn } = require('node:child_process');
const { writeSync } = require('node:fs');
const { bin, args, marker, delayMs } = JSON.parse(process.env.SANGLOC_SUPERVISE);
const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
let seen = '';
let killSent = false;
child.stdout.on('data', (d) => process.stdout.write(d));
child.stderr.on('data', (d) => {
  if (marker && !killSent) {
    seen += d.toString('utf8');
    if (seen.includes(marker)) {
      killSent = true;
      if (delayMs > 0) setTimeout(() => child.kill('SIGKILL'), delayMs);
      else child.kill('SIGKILL');
    }
  }
  process.stderr.write(d);
});
child.on('close', (code, signal) => writeSync(3, JSON.stringify({ code, signal, killSent })));
`;

/**
 * Starts the CLI; with `kill`, it is sent SIGKILL once its stderr shows that stage started (plus
 * `delayMs`). `onStderr` sees stderr as it arrives (e.g. to start a second process at a marker).
 */
export function startCli(
  args: string[],
  opts: { kill?: KillAt; onStderr?: (all: string) => void } = {},
): Promise<Outcome> {
  const marker = opts.kill ? `sangloc: [${opts.kill.stage}] …` : null;
  const child = spawn(process.execPath, ['-e', supervisor], {
    env: { ...env, SANGLOC_SUPERVISE: JSON.stringify({ bin, args, marker, delayMs: opts.kill?.delayMs ?? 0 }) },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let result = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    opts.onStderr?.(stderr);
  });
  (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (d: string) => (result += d));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0 || !result) return fail(new Error(`supervisor exited ${code}: ${stderr.slice(-500)}`));
      const r = JSON.parse(result) as { code: number | null; signal: NodeJS.Signals | null; killSent: boolean };
      done({ ...r, stdout, stderr });
    });
  });
}

/** Writes a synthetic world (in-process generator, same files as `sangloc generate`). */
export async function makeWorld(dir: string, persons: number, seed: number): Promise<string> {
  await generateWorld({ persons, seed, outDir: dir, taxYear: 2025, logger: silentLogger() });
  return dir;
}

/** Copies a folder keeping symlinks as they are (WS/latest stays relative). */
export function copyTree(from: string, to: string): string {
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  return to;
}

/** Every regular file under dir → SHA-256 of its bytes (symlinks are not followed). */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Every path under dir (files, folders, links), relative, with its lstat mode. */
export function treeModes(dir: string): { path: string; mode: number; kind: 'file' | 'dir' | 'link' }[] {
  const out: { path: string; mode: number; kind: 'file' | 'dir' | 'link' }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'file';
      out.push({ path: relative(dir, p), mode: st.mode & 0o777, kind });
      if (kind === 'dir') walk(p);
    }
  };
  walk(dir);
  return out;
}

/** The last non-empty line of a text. */
export const lastLine = (s: string) => s.trim().split('\n').at(-1) ?? '';
