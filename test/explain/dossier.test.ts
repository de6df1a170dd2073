import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDossier, exactLinks, type Dossier, type IdentityRecord } from '../../engine/explain/dossier.js';
import { dossierNetwork } from '../../engine/explain/network.js';
import { formatDossierJson, formatDossierText, renderDossierHtml } from '../../engine/explain/render.js';
import type { CaseRow } from '../../engine/publish/case-row.js';
import { SNAPSHOT_FILE } from '../../engine/publish/snapshot.js';
import { openDb, type Db } from '../../engine/warehouse/db.js';
import { runSamples } from '../cli/helpers.js';
import { tempDir } from '../helpers.js';

const identity = (over: Partial<IdentityRecord>): IdentityRecord => ({
  record_id: 0,
  source: 'taxpayers',
  label: 'x',
  name: null,
  tax_id: null,
  national_id: null,
  phone: null,
  email: null,
  account: null,
  domain: null,
  province: null,
  ...over,
});

describe('exactLinks', () => {
  it.each([
    {
      name: 'a shared phone links two records',
      records: [
        identity({ label: '1', phone: '0912345678' }),
        identity({ source: 'websites', label: 'a.vn', phone: '0912345678' }),
      ],
      expected: [['taxpayers 1', 'websites a.vn', 'phone']],
    },
    {
      name: 'several shared kinds are all named',
      records: [
        identity({ label: '1', tax_id: '0312345678', national_id: '079012341234' }),
        identity({ label: '2', tax_id: '0312345678', national_id: '079012341234' }),
      ],
      expected: [['taxpayers 1', 'taxpayers 2', 'tax_id,national_id']],
    },
    {
      name: 'nothing shared, no link; empty values never match',
      records: [identity({ label: '1', phone: null }), identity({ label: '2', phone: null, email: 'a@b.vn' })],
      expected: [],
    },
  ])('$name', ({ records, expected }) => {
    expect(exactLinks(records).map((l) => [l.record_a, l.record_b, l.shared.join(',')])).toEqual(expected);
  });
});

describe('buildDossier on the data-samples warehouse', () => {
  const root = tempDir('sangloc-dossier-');
  let db: Db;
  let cases: CaseRow[] = [];
  let runId = '';
  const dossiers: Dossier[] = [];

  beforeAll(async () => {
    const r = await runSamples(root);
    runId = r.runId;
    cases = JSON.parse(readFileSync(`${r.runDir}/cases.json`, 'utf8')) as CaseRow[];
    // the run's snapshot, as `sangloc explain` reads it (the warehouse keeps no work tables, temp34);
    // writable: a test below edits a shared contact in
    db = await openDb(join(r.runDir, SNAPSHOT_FILE));
    for (const c of cases.slice(0, 8))
      dossiers.push(await buildDossier(db, c.entity_id, { taxYear: r.taxYear, runId, caseRow: c, rowsPerSource: 3 }));
    return () => db.close();
  }, 120_000);

  it("recomputes each case's revenue and tax gap step by step to the same amounts as the case list", () => {
    for (const [k, d] of dossiers.entries()) {
      const c = cases[k]!;
      expect(d.revenue!.estimated_revenue_vnd, c.entity_id).toBe(c.estimated_revenue_vnd);
      expect(d.revenue!.undeclared_revenue_vnd, c.entity_id).toBe(c.undeclared_revenue_vnd);
      expect(d.revenue!.tax_gap_vnd, c.entity_id).toBe(c.tax_gap_vnd);
      // a mix has no one group in the case list; the rate used is the same
      if (c.activity_group === null) expect(['mix', 'words', 'candidate']).toContain(d.revenue!.group_source);
      else expect(d.revenue!.activity_group, c.entity_id).toBe(c.activity_group);
      expect(d.revenue!.rate.used, c.entity_id).toBeCloseTo(c.tax_rate!, 6);
      expect(d.revenue!.rate.basis_vi, c.entity_id).toBe(c.tax_rate_basis);
      const counted = d.revenue!.steps.filter((s) => s.role === 'counted').reduce((n, s) => n + s.amount_vnd, 0);
      expect(counted, c.entity_id).toBe(d.revenue!.observed_revenue_vnd);
    }
  });

  // issue 14, thr16: a seller above the threshold only through transfers that name nothing
  it('recomputes the tax due × the chance of passing the threshold, as the case list does, and says why', async () => {
    const near = await db.all<{ entity_id: string }>(
      `select entity_id from mart_entity_features
       where bank_trade_unnamed > 0 and declared_revenue <= 100000000
         and observed_revenue > 100000000 and observed_revenue - bank_trade_unnamed <= 100000000
       order by entity_id`,
    );
    expect(near.length).toBeGreaterThan(0);
    for (const { entity_id } of near) {
      const c = cases.find((x) => x.entity_id === entity_id)!;
      const d = await buildDossier(db, entity_id, { taxYear: 2025, runId, caseRow: c, rowsPerSource: 3 });
      expect(d.revenue!.tax_gap_vnd, entity_id).toBe(c.tax_gap_vnd);
      const due = d.revenue!.steps.find((s) => s.key === 'tax_due')!;
      expect(due.note, entity_id).toContain('khả năng vượt ngưỡng');
    }
  });

  it('lists every identity record of the entity and its identifiers', () => {
    for (const [k, d] of dossiers.entries()) {
      const c = cases[k]!;
      expect(d.identities).toHaveLength(c.record_count!);
      expect(d.identifiers.phones).toEqual(expect.arrayContaining(c.phones));
      expect(d.identifiers.tax_ids).toEqual(expect.arrayContaining(c.tax_ids));
      expect(d.reasons.map((r) => r.code)).toEqual(c.reason_codes);
    }
  });

  it('explains how multi-record entities were joined, with weight parts that add up to the match weight', () => {
    const multi = dossiers.filter((d) => d.identities.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const d of multi) {
      expect(d.link_method).toBe('scored');
      // kept links connect every record: at least n − 1 of them
      expect(d.links.length).toBeGreaterThanOrEqual(d.identities.length - 1);
      for (const l of d.links) expect(l.parts.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(l.match_weight!, 1);
    }
  });

  it('groups records by source with totals over all rows, showing at most the asked number', () => {
    const d = dossiers.find((x) => x.records.some((s) => s.source === 'cod_shipments' && s.count > 3))!;
    const cod = d.records.find((s) => s.source === 'cod_shipments')!;
    expect(cod.rows).toHaveLength(3);
    expect(cod.classes.reduce((n, c) => n + c.count, 0)).toBe(cod.count);
    expect(cod.classes.reduce((n, c) => n + c.amount_vnd, 0)).toBe(cod.amount_vnd);
    const sale = cod.classes.find((c) => c.class === 'sale')?.amount_vnd ?? 0;
    expect(d.revenue!.steps.find((s) => s.key === 'cod_sales')!.amount_vnd).toBe(sale);
  });

  it('lists related parties apart from the records: a contact shared with another entity, named with that entity', async () => {
    const [a, b] = [cases[0]!.entity_id, cases[1]!.entity_id];
    await db.exec(`update int_entities set shared_phone = '0900000001' where entity_id in ($a, $b)`, { a, b });
    const d = await buildDossier(db, a, { taxYear: 2025 });
    const shared = d.related.filter((r) => r.kind === 'shared_phone');
    const mine = d.identities.map((i) => i.record_id).sort((x, y) => x - y);
    expect(shared).toEqual([
      { kind: 'shared_phone', value: '0900000001', entities: [b], entity_count: 1, records: mine },
    ]);
    // The network draws the shared phone apart, tied to every record carrying it.
    const net = dossierNetwork(d);
    expect(net.parties.map((p) => [p.kind, p.nodes.length])).toContainEqual(['shared_phone', mine.length]);
    expect(renderDossierHtml(d)).toMatch(/<a href="#party-\d+"><g class="party">/);
    expect(d.identities.every((i) => i.phone !== '0900000001')).toBe(true);
    await db.exec(`update int_entities set shared_phone = null where entity_id in ($a, $b)`, { a, b });
  });

  it('says when a ranked entity is below the work list', async () => {
    const c = cases[5]!;
    const below = await buildDossier(db, c.entity_id, { taxYear: 2025, caseRow: c, workList: 3 });
    expect(below.notes).toContain(
      "ranked 6 in the full ranking, below this run's work list of 3 cases " +
        '(cases.csv keeps every entity; the work list is its first rows)',
    );
    const on = await buildDossier(db, c.entity_id, { taxYear: 2025, caseRow: c, workList: 6 });
    expect(on.notes.join(' ')).not.toMatch(/below this run/);
  });

  it('says when an entity is not on the list and refuses an unknown id', async () => {
    const audited = await db.value<string>(`select entity_id from mart_entity_outcomes order by entity_id limit 1`);
    const d = await buildDossier(db, audited, { taxYear: 2025 });
    expect(d.case).toBeNull();
    expect(d.notes.join(' ')).toMatch(/not on the case list/);
    await expect(buildDossier(db, 'ENOPE', { taxYear: 2025 })).rejects.toThrow(/no such entity/);
  });

  it("draws the seller's network: one node per record, one edge per link, each node linked to its record", () => {
    const multi = dossiers.filter((d) => d.identities.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const d of multi) {
      const net = dossierNetwork(d);
      expect(net.nodes).toHaveLength(Math.min(40, d.identities.length));
      expect(net.edges).toHaveLength(d.links.length);
      const html = renderDossierHtml(d);
      const svg = /<section id="network">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
      const targets = [...svg.matchAll(/href="#(rec-\d+)"/g)].map((m) => m[1]!);
      expect(targets).toHaveLength(net.nodes.length);
      for (const t of targets) expect(html, t).toContain(`<tr id="${t}">`);
      const text = formatDossierText(d);
      expect(text).toContain('Mạng lưới người bán');
      expect(text.match(/^ {2}R\d+ ── R\d+ {2}/gm)).toHaveLength(d.links.length);
    }
  });

  it.each(['text', 'json', 'html'] as const)('renders as %s', (format) => {
    const d = dossiers[0]!;
    const out =
      format === 'text' ? formatDossierText(d) : format === 'json' ? formatDossierJson(d) : renderDossierHtml(d);
    expect(out).toContain(d.entity_id);
    if (format === 'json') expect(JSON.parse(out).revenue.tax_gap_vnd).toBe(cases[0]!.tax_gap_vnd);
    if (format === 'text') expect(out).toMatch(/= Chênh lệch thuế +[\d.]+ VND/);
  });
});

describe('renderDossierHtml safety', () => {
  const hostile: Dossier = {
    entity_id: 'E<1>',
    registry_candidate: null,
    tax_year: 2025,
    run_id: 'r"1',
    case: null,
    identities: [identity({ label: '<img src=x onerror=alert(1)>', name: '</style><script>alert(1)</script>' })],
    identifiers: {
      names: ['<b>x</b>'],
      tax_ids: [],
      national_ids: [],
      phones: [],
      emails: [],
      accounts: [],
      domains: [],
      shops: [],
    },
    records: [
      {
        source: 'websites',
        count: 1,
        amount_vnd: null,
        classes: [],
        columns: ['domain'],
        rows: [{ domain: '"><svg onload=alert(1)>' }],
      },
    ],
    links: [],
    related: [{ kind: 'shared_phone', value: '<script>0900</script>', entities: ['E<2>'], entity_count: 1 }],
    link_method: 'exact',
    revenue: null,
    reasons: [{ code: 'X', text: '<iframe>' }],
    notes: ['<script>'],
  };
  const html = renderDossierHtml(hostile);

  it('escapes every value and loads nothing', () => {
    expect(html).toContain(`content="default-src 'none'`);
    expect(html).not.toMatch(/<script|<img|<iframe|<b>|https?:/);
    // no element carries an event handler (the text `onload=` may appear, escaped, as data)
    expect(html).not.toMatch(/<[a-z]+\b[^>]*\son\w+=/i);
    expect(html).toContain('&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
