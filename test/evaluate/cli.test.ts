import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../engine/cli/main.js';
import { writeFixture } from './fixture.js';

const f = writeFixture();
afterAll(() => rmSync(f.root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs the CLI, capturing what it prints. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const code = await runCli(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('sangloc evaluate', () => {
  it('prints the table and writes <run>/evaluation.json by default', async () => {
    const r = await cli(['evaluate', '--truth', f.truth, '--run', f.run, '--k', '5,1', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/precision/);
    const json = JSON.parse(readFileSync(join(f.run, 'evaluation.json'), 'utf8'));
    expect(json.ranking.atK.map((a: { k: number; hits: number }) => [a.k, a.hits])).toEqual([
      [1, 1],
      [5, 2],
    ]);
  });

  it('writes the JSON to --out', async () => {
    const out = join(f.root, 'eval.json');
    const r = await cli(['evaluate', '--truth', f.truth, '--run', f.run, '--input', f.delivery, '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).ranking.atK.map((a: { k: number }) => a.k)).toEqual([50, 100, 200]);
    expect(r.err).toMatch(/evaluation written to/);
    expect(r.err).not.toMatch(/0101234567|0912/);
  });

  it.each([
    {
      why: 'missing truth folder',
      argv: ['--truth', join(f.root, 'no-truth'), '--run', f.run],
      code: 1,
      message: join(f.root, 'no-truth'),
    },
    {
      why: 'missing run folder',
      argv: ['--truth', f.truth, '--run', join(f.root, 'no-run')],
      code: 1,
      message: join(f.root, 'no-run'),
    },
    {
      why: 'missing input folder',
      argv: ['--truth', f.truth, '--run', f.run, '--input', join(f.root, 'no-input')],
      code: 1,
      message: join(f.root, 'no-input'),
    },
    {
      why: 'unwritable --out',
      argv: ['--truth', f.truth, '--run', f.run, '--out', join(f.root, 'no-dir', 'e.json')],
      // A wrong --out is refused before the evaluation, as every command's --out (exit 2, like backup's).
      code: 2,
      message: join(f.root, 'no-dir', 'e.json'),
    },
    { why: 'no --truth', argv: ['--run', f.run], code: 2, message: '--truth is required' },
    { why: 'no --run', argv: ['--truth', f.truth], code: 2, message: '--run is required' },
    {
      why: 'bad --k',
      argv: ['--truth', f.truth, '--run', f.run, '--k', '50,x'],
      code: 2,
      message: '--k must be positive integers',
    },
    {
      why: 'zero --k',
      argv: ['--truth', f.truth, '--run', f.run, '--k', '0'],
      code: 2,
      message: '--k must be positive integers',
    },
    { why: 'unknown flag', argv: ['--truth', f.truth, '--run', f.run, '--top', '5'], code: 2, message: 'top' },
  ])('fails clearly on $why', async ({ argv, code, message }) => {
    const r = await cli([
      'evaluate',
      '--quiet',
      ...argv,
      ...(argv.includes('--out') ? [] : ['--out', join(f.root, 'never.json')]),
    ]);
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(f.root, 'never.json'))).toBe(false);
  });

  it('has --help with an example', async () => {
    const r = await cli(['evaluate', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/example:\n\s+sangloc evaluate --truth/);
  });
});
