/** The generator's knobs: validated at once, off by default, and each doing what it says. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld, parseKnobs, defaultKnobs } from '../../engine/generate/index.js';
import { UsageError } from '../../engine/errors.js';
import { readCsv } from './read-csv.js';

const made: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'sangloc-knobs-'));
  made.push(d);
  return d;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const cod = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.startsWith('cod_shipments_'))
    .flatMap((f) => readCsv(join(dir, f)).records);
const truthOf = (dir: string) =>
  new Map(readCsv(join(dir, 'truth', 'records.csv')).records.map((r) => [`${r.source}|${r.record_key}`, r.person_id!]));

describe('parseKnobs', () => {
  it('merges over the defaults', () => {
    const k = parseKnobs('{"fulfilment":{"share":0.3},"typo":0.02}');
    expect(k.fulfilment.share).toBe(0.3);
    expect(k.fulfilment.hubs).toBe(defaultKnobs.fulfilment.hubs);
    expect(k.typo).toBe(0.02);
  });

  it.each([
    { input: '{"fulfilment":{"share":1.5}}', message: /fulfilment\.share: a share from 0 to 1, got 1\.5/ },
    { input: '{"typoo":0.1}', message: /typoo: unknown knob/ },
    { input: '{"fulfilment":{"hubs":0}}', message: /fulfilment\.hubs: a whole number/ },
    { input: '{"fulfilment":{"remit":{"seller":0,"warehouse":0,"missing":0}}}', message: /must not all be 0/ },
    { input: '{oops', message: /not valid JSON/ },
  ])('refuses $input', ({ input, message }) => {
    expect(() => parseKnobs(input)).toThrow(UsageError);
    expect(() => parseKnobs(input)).toThrow(message);
  });

  it('reports every problem at once', () => {
    expect(() => parseKnobs('{"typo":2,"nominee":-1}')).toThrow(/typo: .*; nominee: /);
  });
});

describe('worlds with knobs', () => {
  it('without knobs, the manifest says nothing about them; with knobs, it records them', async () => {
    const [a, b] = [tmp(), tmp()];
    await generateWorld({ persons: 60, seed: 5, outDir: a });
    await generateWorld({ persons: 60, seed: 5, outDir: b, knobs: { typo: 0.5 } });
    expect(JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8')).knobs).toBeUndefined();
    expect(JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8')).knobs.typo).toBe(0.5);
    // the same rows, keys and truth; only identifier cells differ
    expect(readFileSync(join(a, 'truth', 'records.csv'), 'utf8')).toBe(
      readFileSync(join(b, 'truth', 'records.csv'), 'utf8'),
    );
    const ta = readCsv(join(a, 'taxpayers.csv')).records;
    const tb = readCsv(join(b, 'taxpayers.csv')).records;
    expect(tb.map((r) => r.tax_id)).toEqual(ta.map((r) => r.tax_id));
    const changed = ta.filter((r, i) => r.national_id && tb[i]!.national_id !== r.national_id);
    expect(changed.length).toBeGreaterThan(0);
    for (const r of changed) {
      const t = tb[ta.indexOf(r)]!.national_id!;
      expect(t).toHaveLength(12);
      let diff = 0;
      for (let i = 0; i < 12; i++) if (t[i] !== r.national_id![i]) diff++;
      expect(diff === 1 || diff === 2).toBe(true);
    }
  });

  it('a fulfilment warehouse books parcels of several sellers under one phone; the truth keeps each parcel with its seller', async () => {
    const dir = tmp();
    await generateWorld({ persons: 400, seed: 9, outDir: dir, knobs: { fulfilment: { share: 1, hubs: 3 } } });
    const truth = truthOf(dir);
    const byPhone = new Map<string, Set<string>>();
    for (const r of cod(dir)) {
      if (!/^(Kho hàng|Kho vận|Kho|Fulfillment|Dịch vụ kho) [^ ]+ [^ ]+ \d+$/.test(r.sender_name!)) continue;
      const phone = r.sender_phone!.replace(/\D/g, '').replace(/^84/, '0');
      const set = byPhone.get(phone) ?? new Set();
      set.add(truth.get(`cod_shipments|${r.carrier}:${r.waybill}`)!);
      byPhone.set(phone, set);
    }
    expect(byPhone.size).toBe(3);
    for (const sellers of byPhone.values()) expect(sellers.size).toBeGreaterThan(5);
  });

  it('name variants give one seller many spellings on its parcels', async () => {
    const dir = tmp();
    await generateWorld({ persons: 200, seed: 4, outDir: dir, knobs: { nameVariants: { share: 1, spellings: 12 } } });
    const truth = truthOf(dir);
    const names = new Map<string, Set<string>>();
    for (const r of cod(dir)) {
      const p = truth.get(`cod_shipments|${r.carrier}:${r.waybill}`)!;
      const set = names.get(p) ?? new Set();
      set.add(r.sender_name!);
      names.set(p, set);
    }
    expect(Math.max(...[...names.values()].map((s) => s.size))).toBeGreaterThanOrEqual(8);
  });

  it('activity: an all-goods world, and service sellers only on their own sites and bank transfers, naming the service', async () => {
    const goods = tmp();
    await generateWorld({
      persons: 300,
      seed: 5,
      outDir: goods,
      knobs: { activity: { goods: 1, services: 0, production_transport: 0, property_lease: 0, other: 0 } },
    });
    const sellers = readCsv(join(goods, 'truth', 'persons.csv')).records.filter((p) => p.pattern !== 'non_seller');
    expect(sellers.length).toBeGreaterThan(50);
    expect(new Set(sellers.map((p) => p.activity_group))).toEqual(new Set(['goods']));

    const online = tmp();
    await generateWorld({
      persons: 300,
      seed: 5,
      outDir: online,
      knobs: {
        activity: {
          goods: 0,
          services: 1,
          other: 0,
          production_transport: 0,
          property_lease: 0,
          servicesOnline: 1,
          words: 1,
        },
      },
    });
    const persons = readCsv(join(online, 'truth', 'persons.csv')).records;
    const services = new Set(
      persons.filter((p) => p.activity_group === 'services' && p.pattern !== 'split_shops').map((p) => p.person_id),
    );
    expect(services.size).toBeGreaterThan(50);
    const truth = truthOf(online);
    const shopsOf = readdirSync(online)
      .filter((f) => f.startsWith('platform_sellers'))
      .flatMap((f) => readCsv(join(online, f)).records)
      .map((r) => truth.get(`platform_sellers|${r.platform}:${r.shop_id}:${r.period}`));
    expect(shopsOf.filter((p) => p && services.has(p))).toEqual([]);
    const descriptions = readdirSync(online)
      .filter((f) => f.startsWith('bank_transactions'))
      .flatMap((f) => readCsv(join(online, f)).records)
      .map((r) => r.description ?? '');
    expect(descriptions.filter((d) => /dat lich spa|khoa hoc|coc tour|tien lam nail/.test(d)).length).toBeGreaterThan(
      100,
    );
    // the truth prices each seller at its own activity: services at 7 % of revenue above the threshold
    const p = persons.find((x) => x.activity_group === 'services' && Number(x.true_revenue) > 200_000_000)!;
    expect(Number(p.true_tax_due)).toBe(
      Math.round(0.05 * Number(p.true_revenue)) + Math.round(0.02 * Number(p.true_revenue)),
    );
  });

  it('activity weights must not all be 0', () => {
    expect(() =>
      parseKnobs({ activity: { goods: 0, services: 0, production_transport: 0, property_lease: 0, other: 0 } }),
    ).toThrow(/activity: the group weights must not all be 0/);
  });
});
