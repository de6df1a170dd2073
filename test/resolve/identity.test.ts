import { describe, expect, it } from 'vitest';
import { defaultIdentitySpec } from '../../engine/resolve/default-spec.js';
import { resolveIdentities } from '../../engine/resolve/identity.js';
import { linkRecords } from '../../engine/resolve/link.js';
import { normalizeLinkSpec, type LinkSpec } from '../../engine/resolve/spec.js';
import type { Db } from '../../engine/warehouse/db.js';
import { loadIdentityRecords, syntheticWorld, withDb, type IdentityRow } from './fixtures.js';

const fast = (spec: LinkSpec, u = 200_000): LinkSpec => ({
  ...spec,
  estimate: { ...spec.estimate, u_sample_pairs: u },
});

async function linksOf(db: Db) {
  return db.all<{
    record_a: number;
    record_b: number;
    match_weight: number;
    parts: string;
    kept: boolean;
    confidence: string;
  }>(
    'select record_a, record_b, match_weight, match_probability, confidence, parts, kept, cut_reason from resolve_links order by match_weight desc, record_a, record_b',
  );
}

async function clusterMap(db: Db): Promise<Map<number, number>> {
  const rows = await db.all<{ record_id: number; cluster_id: number }>(
    'select record_id, cluster_id from resolve_clusters',
  );
  return new Map(rows.map((r) => [r.record_id, r.cluster_id]));
}

describe('resolveIdentities on a synthetic world', () => {
  it('links with high precision, keeps hub strangers apart, and parts add up to the weight', async () => {
    await withDb(async (db) => {
      const world = syntheticWorld(7, 400, 30);
      await loadIdentityRecords(db, world.rows);
      const r = await resolveIdentities(db, { seed: 1, spec: fast(defaultIdentitySpec) });
      expect(r.records).toBe(world.rows.length);
      const cluster = await clusterMap(db);
      expect(cluster.size).toBe(world.rows.length);
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (let i = 0; i < world.rows.length; i++) {
        for (let j = i + 1; j < world.rows.length; j++) {
          const same = world.person[i] === world.person[j];
          const merged = cluster.get(i) === cluster.get(j);
          if (same && merged) tp++;
          else if (merged) fp++;
          else if (same) fn++;
        }
      }
      expect(tp / (tp + fp)).toBeGreaterThan(0.99);
      expect(tp / (tp + fn)).toBeGreaterThan(0.5);
      // The 30 hub records share one phone and nothing else: no two end in one cluster.
      const hub = world.rows.flatMap((row, i) => (row.phone === '0900000000' ? [i] : []));
      expect(hub).toHaveLength(30);
      expect(new Set(hub.map((i) => cluster.get(i))).size).toBe(30);
      // Every link's parts add up to its weight.
      const links = await linksOf(db);
      expect(links.length).toBe(r.links);
      for (const l of links) {
        const sum = Object.values(JSON.parse(l.parts) as Record<string, number>).reduce((s, x) => s + x, 0);
        expect(sum).toBeCloseTo(l.match_weight, 9);
      }
      // Cluster ids are the smallest member.
      for (const [id, c] of cluster) expect(c).toBeLessThanOrEqual(id);
    });
  });

  it('sellers whose parcels share a hub phone under the degree guard stay apart; each seller is one entity', async () => {
    await withDb(async (db) => {
      const world = syntheticWorld(5, 200);
      const sellers = ['tran van hung', 'le thi mai', 'pham minh tuan', 'vo thi lan'].map((name, s) => ({
        name,
        phone: `098765432${s}`,
        account: `TCB:5555000${s}`,
      }));
      const first = world.rows.length;
      for (const [s, x] of sellers.entries()) {
        world.rows.push(
          { source: 'platform_sellers', name_key: x.name, phone: x.phone, account: x.account, province: 'ha noi' },
          { source: 'bank_transactions', name_key: x.name, account: x.account },
          // COD sender profile under a shop name, with the carrier's hub phone, remitted to the seller's account
          {
            source: 'cod_shipments',
            name_key: `shop ${s}`,
            phone: '0911000000',
            account: x.account,
            province: 'ha noi',
          },
        );
        world.person.push(1000 + s, 1000 + s, 1000 + s);
      }
      await loadIdentityRecords(db, world.rows);
      const r = await resolveIdentities(db, { seed: 1, spec: fast(defaultIdentitySpec) });
      const cluster = await clusterMap(db);
      const of = (s: number, k: number) => cluster.get(first + 3 * s + k)!;
      for (let s = 0; s < sellers.length; s++) expect([of(s, 1), of(s, 2)]).toEqual([of(s, 0), of(s, 0)]);
      expect(new Set(sellers.map((_, s) => of(s, 0))).size).toBe(sellers.length);
      expect(r.corroborations).toBeGreaterThan(0);
    });
  });

  it('EM recovers the m probabilities of the known truth', async () => {
    await withDb(async (db) => {
      const world = syntheticWorld(7, 800);
      await loadIdentityRecords(db, world.rows);
      const r = await resolveIdentities(db, { seed: 1, spec: fast(defaultIdentitySpec) });
      const n = world.rows.length;
      for (const field of ['phone', 'province', 'tax_id'] as const) {
        let same = 0;
        let both = 0;
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            const [a, b] = [world.rows[i]![field], world.rows[j]![field]];
            if (world.person[i] !== world.person[j] || !a || !b) continue;
            both++;
            if (a === b) same++;
          }
        }
        const estimated = r.weights.comparisons.find((c) => c.field === field)!.levels[1]!;
        expect(estimated.m_source).toBe('em');
        expect(Math.abs(estimated.m - same / both)).toBeLessThan(0.04);
      }
    });
  });

  it('is deterministic: same input and seed give identical links and clusters', async () => {
    const world = syntheticWorld(3, 150, 10);
    const once = () =>
      withDb(async (db) => {
        await loadIdentityRecords(db, world.rows);
        await resolveIdentities(db, { seed: 5, spec: fast(defaultIdentitySpec, 3000) });
        return {
          links: await linksOf(db),
          clusters: await db.all('select * from resolve_clusters order by record_id'),
        };
      });
    const [a, b] = [await once(), await once()];
    expect(b).toEqual(a);
    expect(a.links.length).toBeGreaterThan(0);
  });
});

/** A one-comparison spec on phone (exact + tf), so weights are easy to check by hand. */
const phoneSpec = (extra: Partial<LinkSpec> = {}): LinkSpec => ({
  fields: { phone: {}, name_key: {} },
  comparisons: [{ name: 'phone', field: 'phone', identifier: true, levels: [{ kind: 'exact', tf_adjust: true }] }],
  blocking: [{ fields: ['phone'] }],
  prior: { match_probability: 0.01 },
  estimate: { em_iterations: 0 },
  threshold: { match_weight: -100 },
  clustering: { strong: { match_weight: -50 } },
  ...extra,
});

describe('term-frequency adjustment and degree guard', () => {
  // 30 records carry a hub phone, 2 carry a rare phone, the rest carry their own phone.
  const rows: IdentityRow[] = [
    ...Array.from({ length: 30 }, (_, i): IdentityRow => ({ phone: '0900000000', name_key: `stranger ${i}` })),
    { phone: '0911111111', name_key: 'tran van a' },
    { phone: '0911111111', name_key: 'tran van a' },
    ...Array.from(
      { length: 68 },
      (_, i): IdentityRow => ({ phone: `09220000${String(i).padStart(2, '0')}`, name_key: `other ${i}` }),
    ),
  ];
  const pair = async (db: Db, a: number, b: number) =>
    (await db.one<{ match_weight: number; parts: string }>(
      'select match_weight, parts from resolve_links where record_a = $a and record_b = $b',
      { a, b },
    ))!;

  it('a hub value weighs less than a rare one, by log2(u / tf)', async () => {
    await withDb(async (db) => {
      await loadIdentityRecords(db, rows);
      const r = await linkRecords(db, { input: 'identity_records', spec: normalizeLinkSpec(phoneSpec()), seed: 1 });
      const hub = await pair(db, 0, 1);
      const rare = await pair(db, 30, 31);
      expect(hub.match_weight).toBeLessThan(rare.match_weight);
      const u = r.weights.comparisons[0]!.levels[1]!.u;
      // u of exact phone agreement over all 4950 pairs: (30·29 + 2·1) / (100·99).
      expect(u).toBeCloseTo((30 * 29 + 2) / (100 * 99), 12);
      expect(JSON.parse(hub.parts).phone_tf).toBeCloseTo(Math.log2(u / 0.3), 9);
      expect(JSON.parse(rare.parts).phone_tf).toBeCloseTo(Math.log2(u / 0.02), 9);
    });
  });

  it('a value carried by more distinct names than allowed is capped', async () => {
    await withDb(async (db) => {
      await loadIdentityRecords(db, rows);
      const spec = phoneSpec();
      spec.comparisons[0]!.degree_guard = { name_field: 'name_key', max_names: 3, cap_weight: 0 };
      await linkRecords(db, { input: 'identity_records', spec: normalizeLinkSpec(spec), seed: 1 });
      const hub = JSON.parse((await pair(db, 0, 1)).parts);
      expect(hub.phone + hub.phone_tf + hub.phone_guard).toBeCloseTo(0, 9);
      expect(JSON.parse((await pair(db, 30, 31)).parts).phone_guard).toBe(0);
      const shared = await db.value<number>(
        'select max(shared_identifiers) from resolve_links where record_a < 30 and record_b < 30',
      );
      expect(shared).toBe(0);
    });
  });

  it.each([
    { hubsUnknown: false, hubAgree: 0, hubDisagree: Math.log2(0.1 / 0.99) },
    { hubsUnknown: true, hubAgree: 0, hubDisagree: 0 },
  ])(
    'with hubs_unknown $hubsUnknown a hub value says nothing when it disagrees either',
    async ({ hubsUnknown, hubAgree, hubDisagree }) => {
      await withDb(async (db) => {
        // record 100: a stranger's namesake with a phone of their own (a candidate through the name)
        await loadIdentityRecords(db, [...rows, { phone: '0933333333', name_key: 'stranger 0' }]);
        const spec = phoneSpec({
          fields: { phone: {}, name_key: {} },
          blocking: [{ fields: ['phone'] }, { fields: ['name_key'] }],
        });
        spec.comparisons[0]!.levels = [
          { kind: 'exact', m: 0.9, u: 0.01 },
          { kind: 'else', m: 0.1, u: 0.99 },
        ];
        spec.comparisons[0]!.degree_guard = {
          name_field: 'name_key',
          max_names: 3,
          cap_weight: 0,
          hubs_unknown: hubsUnknown,
        };
        await linkRecords(db, { input: 'identity_records', spec: normalizeLinkSpec(spec), seed: 1 });
        const agree = JSON.parse((await pair(db, 0, 1)).parts);
        expect(agree.phone + agree.phone_guard).toBeCloseTo(hubAgree, 9);
        expect(JSON.parse((await pair(db, 0, 100)).parts).phone).toBeCloseTo(hubDisagree, 9);
        expect(JSON.parse((await pair(db, 30, 31)).parts).phone).toBeCloseTo(Math.log2(0.9 / 0.01), 9);
      });
    },
  );

  it('common name words weigh less than rare ones (token frequencies)', async () => {
    const names = [
      'nguyen van hung',
      'nguyen van hung',
      'trieu khac diep',
      'trieu khac diep',
      ...Array.from({ length: 40 }, (_, i) => `${['nguyen', 'tran'][i % 2]} van hung ${i}`),
    ];
    await withDb(async (db) => {
      await loadIdentityRecords(
        db,
        names.map((n) => ({ name_key: n })),
      );
      const spec: LinkSpec = {
        fields: { name_key: {} },
        comparisons: [
          { name: 'name', field: 'name_key', levels: [{ kind: 'exact', tf_adjust: true, tf_tokens: true }] },
        ],
        blocking: [{ fields: ['name_key'] }],
        prior: { match_probability: 0.01 },
        estimate: { em_iterations: 0 },
        threshold: { match_weight: -100 },
        clustering: { strong: { match_weight: -50 } },
      };
      await linkRecords(db, { input: 'identity_records', spec: normalizeLinkSpec(spec), seed: 1 });
      const common = await pair(db, 0, 1);
      const rare = await pair(db, 2, 3);
      // Both names occur exactly twice, yet "nguyen van hung" is made of common words.
      expect(common.match_weight).toBeLessThan(rare.match_weight - 2);
    });
  });
});

describe('edge cases', () => {
  it('an empty table gives no links and no clusters', async () => {
    await withDb(async (db) => {
      await loadIdentityRecords(db, []);
      const r = await resolveIdentities(db, { seed: 1 });
      expect([r.records, r.links, r.clusters]).toEqual([0, 0, 0]);
      expect(await db.value('select count(*)::int from resolve_clusters')).toBe(0);
    });
  });

  it('refuses ids that are not unique integers', async () => {
    await withDb(async (db) => {
      await db.exec(
        `create table identity_records as select 1::bigint as record_id, 'a' as phone union all select 1, 'b'`,
      );
      const spec = normalizeLinkSpec(phoneSpec({ fields: { phone: {} } }));
      await expect(linkRecords(db, { input: 'identity_records', spec, seed: 1 })).rejects.toThrow(/unique integer ids/);
    });
  });
});

describe('u sampling', () => {
  it('samples random pairs deterministically by seed when there are more pairs than the sample', async () => {
    const world = syntheticWorld(9, 300);
    const weights = (seed: number) =>
      withDb(async (db) => {
        await loadIdentityRecords(db, world.rows);
        const spec = normalizeLinkSpec(fast(defaultIdentitySpec, 5000));
        const r = await linkRecords(db, { input: 'identity_records', spec, seed });
        return r.weights.comparisons.map((c) => c.levels.map((l) => l.u_count));
      });
    const [a, b, c] = [await weights(1), await weights(1), await weights(2)];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // Every comparison saw 5000 random pairs in all (null level included).
    for (const counts of a) expect(counts.reduce((s, x) => s + x, 0)).toBe(5000);
  });
});
