/**
 * The generic linker on small lists: link types, clustering methods, blocking keys beyond whole
 * values, the pair budget and the warnings that say what went wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterComponents, clusterOneToOne, EDGE_KEPT, EDGE_TAKEN } from '../../engine/resolve/cluster.js';
import { linkFiles } from '../../engine/resolve/link-files.js';
import { normalizeLinkSpec, type BlockingRule, type LinkSpec } from '../../engine/resolve/spec.js';
import { blockingKeysSql } from '../../engine/resolve/sql.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const dir = tempDir('sangloc-link-modes-');

/** Links the CSV texts with `spec` (seed 1); returns the result and clusters.csv rows as [file, id, cluster]. */
async function link(files: Record<string, string>, spec: LinkSpec) {
  const sub = join(dir, String(Math.random()).slice(2));
  writeFiles(sub, files);
  const out = join(sub, 'out');
  const paths = Object.keys(files).map((f) => join(sub, f)) as [string] | [string, string];
  const r = await linkFiles({ files: paths, spec: normalizeLinkSpec(spec), specSource: 'spec', outDir: out, seed: 1 });
  const clusters = readFileSync(join(out, 'clusters.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  return { r, clusters, pairs: readFileSync(join(out, 'pairs.csv'), 'utf8').trim().split('\n').slice(1) };
}

const nameSpec = (extra: Partial<LinkSpec> = {}): LinkSpec => ({
  unique_id: 'id',
  fields: { name: { normalize: 'name' } },
  comparisons: [
    {
      name: 'name',
      field: 'name',
      levels: [
        { kind: 'exact', m: 0.9, u: 0.001 },
        { kind: 'jaro_winkler', min: 0.9, m: 0.09, u: 0.01 },
      ],
    },
  ],
  blocking: [{ fields: [{ field: 'name', key: 'prefix', length: 3 }] }],
  prior: { match_probability: 0.1 },
  threshold: { match_probability: 0.5 },
  clustering: { method: 'components' },
  ...extra,
});

describe('clustering methods', () => {
  it('components: every link merges, chains included', () => {
    const r = clusterComponents(5, { a: [0, 1, 3], b: [1, 2, 4], weight: [1, 1, 1], sharedIdentifiers: [0, 0, 0] });
    expect([...r.cluster]).toEqual([0, 0, 0, 3, 3]);
    expect(r.clusters).toBe(2);
  });

  it('one-to-one: strongest link first, each record in one pair at most', () => {
    // 0–2 (9 bits) wins; 0–3 and 1–2 lose their partner; 1–3 (4 bits) is the best left for both.
    const r = clusterOneToOne(4, {
      a: [0, 0, 1, 1],
      b: [2, 3, 2, 3],
      weight: [9, 8, 7, 4],
      sharedIdentifiers: [0, 0, 0, 0],
    });
    expect([...r.status]).toEqual([EDGE_KEPT, EDGE_TAKEN, EDGE_TAKEN, EDGE_KEPT]);
    expect([...r.cluster]).toEqual([0, 1, 0, 1]);
  });
});

describe('link types', () => {
  const a = 'id,name\na1,Nguyen Van Hung\na2,Nguyen Van Hung\n';
  const b = 'id,name\nb1,Nguyen Van Hung\n';
  it.each([
    { type: undefined, pairs: 2, clusters: 1 },
    { type: 'link_only' as const, pairs: 2, clusters: 1 },
    { type: 'link_and_dedupe' as const, pairs: 3, clusters: 1 },
  ])('two files, $type: $pairs candidate pairs', async ({ type, pairs, clusters }) => {
    const { r } = await link({ 'a.csv': a, 'b.csv': b }, nameSpec(type ? { link_type: type } : {}));
    expect(r.candidatePairs).toBe(pairs);
    expect(r.multiRecordClusters).toBe(clusters);
  });

  it('one-to-one leaves each record at most one partner in the other file', async () => {
    const { r, clusters } = await link({ 'a.csv': a, 'b.csv': b }, nameSpec({ clustering: { method: 'one_to_one' } }));
    expect(r.oneToOneRefused).toBe(1);
    expect(clusters.filter((c) => c[2] === 'a.csv:a1').map((c) => c[1])).toEqual(['a1', 'b1']);
  });

  it.each<{ files: Record<string, string>; spec: LinkSpec; message: RegExp }>([
    { files: { 'a.csv': a }, spec: nameSpec({ link_type: 'link_only' }), message: /"link_only" needs two files/ },
    {
      files: { 'a.csv': a, 'b.csv': b },
      spec: nameSpec({ link_type: 'dedupe_only' }),
      message: /"dedupe_only" takes one file/,
    },
    {
      files: { 'a.csv': a, 'b.csv': b },
      spec: nameSpec({ link_type: 'link_and_dedupe', clustering: { method: 'one_to_one' } }),
      message: /one_to_one/,
    },
  ])('refuses a link type that does not fit the files: $message', async ({ files, spec, message }) => {
    await expect(link(files, spec)).rejects.toThrow(message);
  });
});

describe('a composite key (combine "all")', () => {
  // a name at an address: with no address column it says nothing, never the name alone
  const spec = (optional: boolean): LinkSpec =>
    nameSpec({
      fields: {
        name: { normalize: 'name' },
        home: { column: ['name', 'address'], normalize: 'name', combine: 'all', ...(optional ? { optional } : {}) },
      },
      comparisons: [{ name: 'home', field: 'home', levels: [{ kind: 'exact', m: 0.9, u: 0.001 }] }],
    });
  const rows = 'id,name\na1,Nguyen Van Hung\na2,Nguyen Van Hung\n';

  it('is unknown when the input lacks one of its columns', async () => {
    const { r } = await link({ 'a.csv': rows }, spec(true));
    expect(r.candidatePairs).toBe(1);
    expect(r.multiRecordClusters).toBe(0);
  });

  it('links on both columns when the input has them', async () => {
    const { r } = await link(
      { 'a.csv': 'id,name,address\na1,Nguyen Van Hung,12 Hang Bac\na2,Nguyen Van Hung,12 Hang Bac\n' },
      spec(false),
    );
    expect(r.multiRecordClusters).toBe(1);
  });

  it('is refused, naming the column, when it is not optional', async () => {
    await expect(link({ 'a.csv': rows }, spec(false))).rejects.toThrow(
      /fields\.home: the input has no column "address"/,
    );
  });
});

describe('blocking keys', () => {
  const records = [
    { id: 1, name: 'nguyen van hung', title: 'samsung galaxy s21 sm-g991b 128gb', dob: '19230114' },
    { id: 2, name: 'hung nguyen van', title: 'galaxy s21 5g sm g991b', dob: '19231114' },
    { id: 3, name: 'tran thi mai', title: 'apple iphone 13', dob: null },
    { id: 4, name: 'chan thi may', title: 'iphone 13 128gb', dob: '1923-11-14' },
  ];
  const keysOf = async (rule: BlockingRule) =>
    withDb(async (db) => {
      await db.exec(
        `create table recs as select * from (values ${records.map((r) => `(${r.id}, 0::tinyint, '${r.name}', '${r.title}', ${r.dob ? `'${r.dob}'` : 'null'})`).join(', ')}) t(_rid, _ds, name, title, dob)`,
      );
      const step = blockingKeysSql(rule, { records: 'recs', table: 'k' });
      await db.exec(step.sql, Object.keys(step.params).length ? step.params : undefined);
      const rows = await db.all<{ _rid: number; k0: string }>(
        'select _rid::integer as _rid, k0::varchar as k0 from k order by _rid, k0',
      );
      return rows.map((r) => `${r._rid}:${r.k0}`);
    });
  it.each<{ rule: BlockingRule; keys: string[] }>([
    { rule: { fields: [{ field: 'name', key: 'prefix', length: 4 }] }, keys: ['1:nguy', '2:hung', '3:tran', '4:chan'] },
    {
      rule: { fields: [{ field: 'name', key: 'sorted_words' }] },
      keys: ['1:hung nguyen van', '2:hung nguyen van', '3:mai thi tran', '4:chan may thi'],
    },
    {
      rule: { fields: [{ field: 'name', key: 'phonetic', language: 'vi' }] },
      keys: [
        '1:hun',
        '1:nguien',
        '1:van',
        '2:hun',
        '2:nguien',
        '2:van',
        '3:chan',
        '3:mai',
        '3:thi',
        '4:chan',
        '4:mai',
        '4:thi',
      ],
    },
    // `sm-g991b` and `sm g991b` meet on `smg991b` (neighbouring words joined); common keys are left to the max block size.
    {
      rule: { fields: [{ field: 'title', key: 'model' }] },
      keys: [
        '1:128gb',
        '1:galaxys21',
        '1:s21',
        '1:s21smg991b',
        '1:smg991b',
        '1:smg991b128gb',
        '2:5gsm',
        '2:g991b',
        '2:galaxys21',
        '2:s21',
        '2:s215g',
        '2:smg991b',
        '3:iphone13',
        '4:128gb',
        '4:13128gb',
        '4:iphone13',
      ],
    },
    { rule: { fields: [{ field: 'dob', key: 'year', format: '%Y%m%d' }] }, keys: ['1:1923', '2:1923'] },
    {
      rule: { fields: [{ field: 'dob', key: 'year_month', format: ['%Y%m%d', '%Y-%m-%d'] }] },
      keys: ['1:1923-01', '2:1923-11', '4:1923-11'],
    },
  ])('$rule.fields.0.key', async ({ rule, keys }) => {
    expect(await keysOf(rule)).toEqual(keys);
  });

  it('English phonetic codes merge spellings of one sound', async () => {
    const rows = await withDb(async (db) => {
      await db.exec(
        `create table recs as select * from (values (1, 0::tinyint, 'robert smith'), (2, 0::tinyint, 'rupert smyth')) t(_rid, _ds, name)`,
      );
      const step = blockingKeysSql(
        { fields: [{ field: 'name', key: 'phonetic', language: 'en' }] },
        { records: 'recs', table: 'k' },
      );
      await db.exec(step.sql, step.params);
      return db.all<{ k0: string }>('select k0 from k group by k0 having count(*) = 2 order by k0');
    });
    expect(rows.map((r) => r.k0)).toEqual(['r163', 's53']);
  });

  it('word keys block on rare words only, and the pairs of several rules are counted once', async () => {
    const rows = ['id,name', 'p1,cong ty abc thanh long', 'p2,cong ty thanh long', 'p3,cong ty xyz', 'p4,cong ty mai'];
    const spec = nameSpec({
      blocking: [
        { fields: [{ field: 'name', key: 'words' }], max_block_size: 3 },
        { fields: [{ field: 'name', key: 'prefix', length: 7 }], max_block_size: 3 },
      ],
    });
    const { r } = await link({ 'a.csv': rows.join('\n') }, spec);
    // "cong" and "ty" are on 4 records (over 3): only "thanh"/"long" block, giving p1–p2 once.
    expect(r.candidatePairs).toBe(1);
    expect(r.rulePairs).toEqual([1, 0]);
    expect(r.warnings.join('\n')).toMatch(
      /blocking rule 1 \(name:words\): 2 key value\(s\) shared by more than 3 records/,
    );
    expect(r.warnings.join('\n')).toMatch(/blocking rule 2 \(name:prefix7\) makes no candidate pairs/);
  });

  it('stops with a clear message when the rules would exceed the pair budget', async () => {
    const rows = ['id,name', ...Array.from({ length: 30 }, (_, i) => `r${i},cong ty ${i}`)];
    const spec = nameSpec({ blocking: [{ fields: [{ field: 'name', key: 'prefix', length: 4 }] }], max_pairs: 100 });
    await expect(link({ 'a.csv': rows.join('\n') }, spec)).rejects.toThrow(
      /up to 435 candidate pairs, over the budget max_pairs = 100 \(rule 1 \(name:prefix4\): up to 435\)/,
    );
  });
});

describe('the product example (docs/linking.md, "Linking text lists")', () => {
  it('links four of the five shared products one-to-one, refusing the near-namesake', async () => {
    const out = join(dir, 'products');
    const r = await linkFiles({
      files: ['examples/link/products-shop.csv', 'examples/link/products-market.csv'],
      spec: normalizeLinkSpec(JSON.parse(readFileSync('examples/link/products.json', 'utf8'))),
      specSource: 'examples/link/products.json',
      outDir: out,
      seed: 1,
    });
    const rows = readFileSync(join(out, 'pairs.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(
      rows
        .filter((p) => p[7] === 'true')
        .map((p) => `${p[1]}-${p[3]}`)
        .sort(),
    ).toEqual(['s1-m1', 's2-m2', 's4-m4', 's6-m5']);
    expect(rows.filter((p) => p[8] === 'one_to_one').map((p) => `${p[1]}-${p[3]}`)).toEqual(['s1-m6']);
    expect(r.oneToOneRefused).toBe(1);
  });
});
