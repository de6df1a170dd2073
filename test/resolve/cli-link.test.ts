import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { command } from '../../engine/cli/link.js';
import { commandHelp, parseCommandArgs } from '../../engine/cli/command.js';
import { ConfigError, InputError, UsageError } from '../../engine/errors.js';
import { parseCsv } from '../publish/helpers.js';

const run = (argv: string[]) => command.run(parseCommandArgs(command, argv));
const csv = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.split(','));

describe('sangloc link', () => {
  it('links the example shops to the example registry', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sangloc-link-')), 'out');
    const code = await run([
      '--spec',
      'examples/link/spec.json',
      'examples/link/shops.csv',
      'examples/link/registry.csv',
      '--out',
      out,
      '--quiet',
    ]);
    expect(code).toBe(0);
    const pairs = csv(readFileSync(join(out, 'pairs.csv'), 'utf8'));
    const header = pairs[0]!;
    expect(header.slice(0, 9)).toEqual([
      'left_file',
      'left_id',
      'right_file',
      'right_id',
      'match_weight',
      'match_probability',
      'confidence',
      'kept',
      'cut_reason',
    ]);
    expect(header).toContain('phone_guard');
    const rows = pairs.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
    // Every pair goes from shops.csv to registry.csv; parts add up to the weight.
    for (const r of rows) {
      expect([r.left_file, r.right_file]).toEqual(['shops.csv', 'registry.csv']);
      const parts = header.slice(9).reduce((s, h) => s + Number(r[h]), 0);
      expect(parts).toBeCloseTo(Number(r.match_weight), 6);
    }
    const kept = rows
      .filter((r) => r.kept === 'true')
      .map((r) => `${r.left_id}-${r.right_id}`)
      .sort();
    expect(kept).toEqual(['1-1', '3-2', '4-3', '5-4']);
    // The five shops on the warehouse phone 0900000000 are linked to nothing.
    expect(rows.some((r) => ['6', '7', '8', '9', '10'].includes(r.left_id!))).toBe(false);

    const clusters = csv(readFileSync(join(out, 'clusters.csv'), 'utf8'));
    expect(clusters[0]).toEqual(['file', 'id', 'cluster_id', 'cluster_size']);
    expect(clusters).toHaveLength(1 + 12 + 5);
    const clusterOf = new Map(clusters.slice(1).map((r) => [`${r[0]}:${r[1]}`, r[2]]));
    expect(clusterOf.get('registry.csv:1')).toBe('shops.csv:1');
    expect(clusterOf.get('registry.csv:5')).toBe('registry.csv:5');

    const weights = JSON.parse(readFileSync(join(out, 'weights.json'), 'utf8'));
    expect(weights.prior).toBe(0.1);
    expect(weights.comparisons.map((c: { name: string }) => c.name)).toEqual([
      'phone',
      'email',
      'name',
      'province',
      'address',
    ]);
    expect(weights.comparisons[0].levels[1]).toMatchObject({ label: 'exact +tf', u_source: 'sampled' });
  });

  it('dedupes a single file, using the spec unique_id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sangloc-link-'));
    writeFileSync(
      join(dir, 'people.csv'),
      [
        'code,name,phone',
        'P1,Nguyễn Văn Hùng,0912345678',
        'P2,nguyen van hung,+84912345678',
        'P3,Trần Thị Mai,0987654321',
        'P4,Lê Văn Tám,0911222333',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify({
        unique_id: 'code',
        fields: { name: { normalize: 'name' }, phone: { normalize: 'phone_vn' } },
        comparisons: [
          { name: 'phone', field: 'phone', identifier: true, levels: [{ kind: 'exact' }] },
          {
            name: 'name',
            field: 'name',
            identifier: true,
            levels: [{ kind: 'exact' }, { kind: 'jaro_winkler', min: 0.9 }],
          },
        ],
        blocking: [{ fields: ['phone'] }, { fields: ['name'] }],
        prior: { match_probability: 0.2 },
        threshold: { match_probability: 0.5 },
        clustering: { strong: { match_probability: 0.9 } },
      }),
    );
    const out = join(dir, 'out');
    expect(
      await run(['--spec', join(dir, 'spec.json'), join(dir, 'people.csv'), '--out', out, '-q', '--seed', '3']),
    ).toBe(0);
    const clusters = csv(readFileSync(join(out, 'clusters.csv'), 'utf8')).slice(1);
    expect(clusters.map((r) => [r[1], r[2]])).toEqual([
      ['P1', 'P1'],
      ['P2', 'P1'],
      ['P3', 'P3'],
      ['P4', 'P4'],
    ]);
  });

  it('neutralises formula-looking ids and file names in pairs.csv and clusters.csv', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sangloc-link-'));
    const people = join(dir, '=people.csv');
    writeFileSync(
      people,
      [
        'code,name,phone',
        '=HYPERLINK(1),Nguyễn Văn Hùng,0912345678',
        '\u00a0@P2,nguyen van hung,+84912345678',
        'P3,Trần Thị Mai,0987654321',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify({
        unique_id: 'code',
        fields: { name: { normalize: 'name' }, phone: { normalize: 'phone_vn' } },
        comparisons: [
          {
            name: 'phone',
            field: 'phone',
            identifier: true,
            levels: [
              { kind: 'exact', m: 0.9, u: 0.01 },
              { kind: 'else', m: 0.1, u: 0.99 },
            ],
          },
        ],
        blocking: [{ fields: ['phone'] }],
        estimate: { em_iterations: 0 },
        prior: { match_probability: 0.2 },
        threshold: { match_probability: 0.5 },
        clustering: { strong: { match_probability: 0.9 } },
      }),
    );
    const out = join(dir, 'out');
    expect(await run(['--spec', join(dir, 'spec.json'), people, '--out', out, '-q'])).toBe(0);
    const pairs = parseCsv(readFileSync(join(out, 'pairs.csv'), 'utf8').replaceAll('\n', '\r\n'));
    expect(pairs[1]!.slice(0, 4)).toEqual(["'=people.csv", "'=HYPERLINK(1)", "'=people.csv", "'\u00a0@P2"]);
    const clusters = parseCsv(readFileSync(join(out, 'clusters.csv'), 'utf8').replaceAll('\n', '\r\n'));
    expect(clusters.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ["'=people.csv", "'=HYPERLINK(1)", "'=HYPERLINK(1)"],
      ["'=people.csv", "'\u00a0@P2", "'=HYPERLINK(1)"],
      ["'=people.csv", 'P3', 'P3'],
    ]);
  });

  it.each([
    { name: 'no files', argv: ['--spec', 'examples/link/spec.json', '--out', '/tmp/x'], error: UsageError },
    {
      name: 'three files',
      argv: ['--spec', 'examples/link/spec.json', 'a.csv', 'b.csv', 'c.csv', '--out', '/tmp/x'],
      error: UsageError,
    },
    {
      name: 'missing --out',
      argv: ['--spec', 'examples/link/spec.json', 'examples/link/shops.csv'],
      error: UsageError,
    },
    {
      name: 'a missing input file',
      argv: ['--spec', 'examples/link/spec.json', 'nope.csv', '--out', '/tmp/x'],
      error: InputError,
    },
    {
      name: 'a missing spec',
      argv: ['--spec', 'nope.json', 'examples/link/shops.csv', '--out', '/tmp/x'],
      error: ConfigError,
    },
    {
      name: 'a spec naming absent columns',
      argv: ['--spec', 'examples/link/spec.json', 'test/resolve/cli-link.test.ts', '--out', '/tmp/x', '-q'],
      error: ConfigError,
    },
  ])('refuses $name', async ({ argv, error }) => {
    await expect(run(argv)).rejects.toThrow(error);
  });

  it("dedupes one file whose field columns are a subset of the spec's lists", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sangloc-link-')), 'out');
    expect(await run(['--spec', 'examples/link/spec.json', 'examples/link/shops.csv', '--out', out, '-q'])).toBe(0);
    const clusters = csv(readFileSync(join(out, 'clusters.csv'), 'utf8')).slice(1);
    const clusterOf = new Map(clusters.map((r) => [r[1], r[2]]));
    // S01, S02 and S11 are one seller (same phone, name in any order); the hub-phone shops stay apart.
    expect([clusterOf.get('2'), clusterOf.get('11')]).toEqual(['1', '1']);
    expect(new Set(['6', '7', '8', '9', '10'].map((id) => clusterOf.get(id))).size).toBe(5);
  });

  it('has help with an example', () => {
    expect(commandHelp(command)).toContain('sangloc link --spec examples/link/spec.json');
  });
});

describe('sangloc link --labels', () => {
  it('prints precision, recall and F1 at the threshold and a sweep, and writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sangloc-link-'));
    writeFileSync(join(dir, 'labels.csv'), 'left_id,right_id,match\n1,1,1\n3,2,1\n4,3,1\n5,4,1\n6,1,0\n');
    const out = join(dir, 'out');
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      const code = await run([
        '--spec',
        'examples/link/spec.json',
        'examples/link/shops.csv',
        'examples/link/registry.csv',
        '--out',
        out,
        '-q',
        '--labels',
        join(dir, 'labels.csv'),
      ]);
      expect(code).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const text = written.join('');
    expect(text).toMatch(/labels: \d+ records, 4 true pairs/);
    expect(text).toMatch(/pairs at the threshold \(3,17 bits\): precision 1,0000, recall 1,0000, F1 1,0000/);
    expect(text).toMatch(/sweep: +probability/);
    expect(readFileSync(join(out, 'link-report.html'), 'utf8')).toContain('Precision–recall curve');
  });
});
