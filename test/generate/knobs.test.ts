/** The generator's knobs: validated at once, off by default, and each doing what it says. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { generateWorld, parseKnobs, defaultKnobs, type KnobsInput } from '../../engine/generate/index.js';
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

  it('off, a re-issued phone leaves the world byte for byte as it was, with other knobs on too', async () => {
    // Digests of every file of these worlds as the generator wrote them before the knob existed
    // (GENERATOR_VERSION 1.0.0): a change that alters them on purpose bumps the version and these.
    const before: [KnobsInput, string][] = [
      [{}, '6f70f1051b6519cd86970ceec8fde5bc28eedc92e61834a103c9b78a402f97df'],
      [
        { typo: 0.05, familyPhone: { share: 0.3 }, fulfilment: { share: 0.3 } },
        '0350d90d1566721b3c9ca93fc1acbc1bb47da33425083b2ccb067b747018d9b5',
      ],
    ];
    const digest = (dir: string) => {
      const files = readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
        .sort();
      const h = createHash('sha256');
      for (const f of files)
        h.update(
          `${f}\n${createHash('sha256')
            .update(readFileSync(join(dir, f)))
            .digest('hex')}\n`,
        );
      return `${files.length} ${h.digest('hex')}`;
    };
    for (const [knobs, sha] of before)
      for (const k of [knobs, { ...knobs, reissuedPhone: 0 }]) {
        const d = tmp();
        await generateWorld({ persons: 150, seed: 8, outDir: d, knobs: k });
        expect(digest(d), JSON.stringify(k)).toBe(`24 ${sha}`);
      }
  });

  it('re-issued phones: numbers change on a day and go to other persons 60+ days on; only phones change', async () => {
    const [plain, knob] = [tmp(), tmp()];
    await generateWorld({ persons: 800, seed: 2, outDir: plain });
    await generateWorld({ persons: 800, seed: 2, outDir: knob, knobs: { reissuedPhone: 0.3 } });
    // the same rows, keys and truth: each record stays with the person whose business it is
    expect(readFileSync(join(knob, 'truth', 'records.csv'), 'utf8')).toBe(
      readFileSync(join(plain, 'truth', 'records.csv'), 'utf8'),
    );
    const phoneColumn: Record<string, string> = {
      taxpayers: 'phone',
      platform_sellers: 'phone',
      websites: 'phone',
      cod_shipments: 'sender_phone',
      outcomes: 'subject_id',
    };
    const digits = (s: string) => s.replace(/\D/g, '').replace(/^84/, '0');
    const truth = truthOf(plain);
    /** Dated uses whose number changed: old number → [date, person, new number]. */
    const changed = new Map<string, [string, string, string][]>();
    /** Dated uses of each number as the knob world writes it: number → [date, person, changed]. */
    const uses = new Map<string, [string, string, boolean][]>();
    const undated: [string, string][] = [];
    for (const f of readdirSync(plain).filter((x) => x.endsWith('.csv'))) {
      const source = Object.keys(phoneColumn).find((s) => f.startsWith(s));
      const a = readCsv(join(plain, f)).records;
      const b = readCsv(join(knob, f)).records;
      expect(b.length, f).toBe(a.length);
      for (let i = 0; i < a.length; i++) {
        const col = source && (source !== 'outcomes' || a[i]!.subject_type === 'phone') ? phoneColumn[source] : '';
        // nothing but the phone cell differs
        expect({ ...b[i], [col!]: '' }, f).toEqual({ ...a[i], [col!]: '' });
        if (!col || !a[i]![col]) continue;
        const [from, to] = [digits(a[i]![col]!), digits(b[i]![col]!)];
        if (source === 'cod_shipments' || source === 'platform_sellers') {
          const r = a[i]!;
          const key =
            source === 'cod_shipments' ? `${r.carrier}:${r.waybill}` : `${r.platform}:${r.shop_id}:${r.period}`;
          const date = source === 'cod_shipments' ? r.picked_up_on! : `${r.period}-01`;
          const person = truth.get(`${source}|${key}`)!;
          if (from !== to) changed.set(from, [...(changed.get(from) ?? []), [date, person, to]]);
          uses.set(to, [...(uses.get(to) ?? []), [date, person, from !== to]]);
        } else if (from !== to) undated.push([from, to]);
      }
    }
    // a number changes on one day: every dated use from then on gives one other number, none before
    const plainUses = new Map<string, string[]>();
    for (const [n, u] of uses) for (const [d, , c] of u) if (!c) plainUses.set(n, [...(plainUses.get(n) ?? []), d]);
    const becomes = new Map<string, string>();
    for (const [from, list] of changed) {
      expect(new Set(list.map((x) => x[2])).size, from).toBe(1);
      becomes.set(from, list[0]![2]);
      const first = list.map((x) => x[0]).sort()[0]!;
      expect(
        (plainUses.get(from) ?? []).filter((d) => d >= first),
        from,
      ).toEqual([]);
    }
    // registry, website and audit numbers give the current one
    expect(undated.length).toBeGreaterThan(20);
    for (const [from, to] of undated) if (becomes.has(from)) expect(to).toBe(becomes.get(from));
    // a fresh number (nobody's before), or a dropped one given to another person 60–150+ days on
    const plainNumbers = new Set(
      readdirSync(plain)
        .filter((f) => f.startsWith('cod_shipments') || f.startsWith('platform_sellers'))
        .flatMap((f) => readCsv(join(plain, f)).records.map((r) => digits(r.sender_phone ?? r.phone ?? ''))),
    );
    const fresh = [...becomes.values()].filter((n) => !plainNumbers.has(n));
    const reissued = [...new Set(becomes.values())].filter((n) => plainNumbers.has(n));
    expect(fresh.length).toBeGreaterThan(60);
    expect(reissued.length).toBeGreaterThan(40);
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
    for (const n of reissued) {
      const own = uses.get(n)!.filter((x) => !x[2]);
      const given = uses.get(n)!.filter((x) => x[2]);
      if (!own.length) continue;
      // the dropped number's last use and the new holder's first are 60 days or more apart
      const lastOwn = Math.max(...own.map((x) => day(x[0])));
      expect(Math.min(...given.map((x) => day(x[0]))) - lastOwn, n).toBeGreaterThanOrEqual(60);
      // by other people: none of the new holder's records is the old holder's
      const owners = new Set(own.map((x) => x[1]));
      expect(
        given.filter((x) => owners.has(x[1])),
        n,
      ).toEqual([]);
      // and unrelated: the main users of the number before and after are no neighbours (relatives
      // live within 40 persons of each other, nearbyPerson in world.ts)
      const main = (u: [string, string, boolean][]) => {
        const count = new Map<string, number>();
        for (const x of u) count.set(x[1], (count.get(x[1]) ?? 0) + 1);
        return Number([...count].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1))[0]![0].slice(1));
      };
      expect(Math.abs(main(own) - main(given)), n).toBeGreaterThan(40);
    }
    // the old holder went on with a fresh number, not with someone else's
    for (const n of reissued) if (becomes.has(n)) expect(plainNumbers.has(becomes.get(n)!), n).toBe(false);
  });

  it('activity weights must not all be 0', () => {
    expect(() =>
      parseKnobs({ activity: { goods: 0, services: 0, production_transport: 0, property_lease: 0, other: 0 } }),
    ).toThrow(/activity: the group weights must not all be 0/);
  });
});
