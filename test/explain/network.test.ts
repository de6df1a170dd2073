import { setLang } from '../../engine/format.js';
import { describe, expect, it } from 'vitest';
import { dossierNetwork, networkSvg, networkText, strongestEvidence } from '../../engine/explain/network.js';
import { dossier, rec, scored } from './fixtures.js';

describe('strongestEvidence', () => {
  it.each([
    {
      parts: [
        ['prior', -8.5],
        ['phone', 19.9],
        ['account', 19.7],
      ],
      expected: ['phone +19,9', 'SĐT', 'phone'],
    },
    {
      parts: [
        ['prior', 30],
        ['name', 2.5],
        ['province', -1],
      ],
      expected: ['name +2,5', 'tên', 'name'],
    },
    { parts: [['prior', -8.5]], expected: ['weight -8,5', '?', 'other'] },
  ] as { parts: [string, number][]; expected: string[] }[])('scored link $parts → $expected', ({ parts, expected }) => {
    const e = strongestEvidence(scored(1, 2, parts));
    expect([e.evidence, e.short, e.kind]).toEqual(expected);
  });

  it('names every shared kind of an exact link, coloured by the strongest', () => {
    const e = strongestEvidence({ ...scored(1, 2, []), method: 'exact', shared: ['phone', 'national_id'] });
    expect([e.evidence, e.short, e.kind]).toEqual(['phone, national_id', 'SĐT+CCCD', 'national_id']);
  });
});

describe('dossierNetwork', () => {
  const g = dossierNetwork(dossier());

  it('orders records by source (registry first) and joins links by record id, not by label', () => {
    expect(g.nodes.map((n) => [n.key, n.record_id])).toEqual([
      ['R1', 10],
      ['R2', 20],
      ['R3', 30],
      ['R4', 31],
    ]);
    expect(g.edges.map((e) => [g.nodes[e.a]!.key, g.nodes[e.b]!.key, e.evidence])).toEqual([
      ['R1', 'R2', 'phone, national_id'],
      ['R2', 'R3', 'shop +18,1'],
      ['R3', 'R4', 'phone +19,9'],
    ]);
  });

  it('draws related parties apart, tied to the records that carry them', () => {
    expect(g.parties.map((p) => [p.key, p.kind, p.nodes.map((k) => g.nodes[k]!.key)])).toEqual([
      ['P1', 'warehouse_phone', ['R3', 'R4']],
      ['P2', 'weak_link', ['R2']],
    ]);
    const right = Math.max(...g.nodes.map((n) => n.x));
    for (const p of g.parties) expect(p.x).toBeGreaterThan(right + 100);
  });

  it('lays out the same dossier the same way, whatever the order of its records and links', () => {
    const d = dossier();
    const shuffled = dossier({ identities: [...d.identities].reverse(), links: [...d.links].reverse() });
    expect(dossierNetwork(shuffled)).toEqual(g);
    expect(networkSvg(dossierNetwork(shuffled))).toBe(networkSvg(g));
  });

  it('draws at most maxNodes records and says how many more there are', () => {
    const small = dossierNetwork(dossier(), 2);
    expect(small.nodes).toHaveLength(2);
    expect(small.hidden).toBe(2);
    expect(small.edges).toHaveLength(1);
    expect(networkText(small)).toContain('  … còn 2 bản ghi, không vẽ');
    setLang('en');
    try {
      expect(networkText(small)).toContain('  … 2 more record(s), not drawn');
    } finally {
      setLang('vi');
    }
  });
});

describe('networkSvg and networkText', () => {
  const g = dossierNetwork(dossier());
  const svg = networkSvg(g);

  it('links each record node to its row and each party to its line, and shows no value the dossier lacks', () => {
    expect([...svg.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual([
      '#rec-10',
      '#rec-20',
      '#rec-30',
      '#rec-31',
      '#party-1',
      '#party-2',
    ]);
    expect(svg).not.toMatch(/<script|\son\w+=|https?:/);
    // Every digit run drawn comes from a record label, a related value, an evidence weight or the layout.
    const d = dossier();
    const known = [...d.identities.map((i) => i.label), ...d.related.map((r) => r.value)].join(' ');
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    for (const t of texts) for (const digits of t.match(/\d{4,}/g) ?? []) expect(known, t).toContain(digits);
  });

  it('writes the graph as text: nodes, edges with evidence, parties with their carriers', () => {
    expect(networkText(g).slice(7)).toEqual([
      '  P1   SĐT kho hàng: 0287000000 (còn ở 2 thực thể khác) ┄ R3, R4',
      '  P2   liên kết yếu: websites x.vn (6.1 bits) (còn ở 1 thực thể khác) ┄ R2',
    ]);
    setLang('en');
    try {
      expect(networkText(g)).toEqual([
        '  R1   taxpayers: 0312345678',
        '  R2   platform_sellers: shopee:1',
        '  R3   cod_shipments: COD sender 0912 (Huế)',
        '  R4   cod_shipments: COD sender 0912 (Huế)',
        '  R1 ── R2  phone, national_id',
        '  R2 ── R3  shop +18,1',
        '  R3 ── R4  phone +19,9',
        '  P1   warehouse phone: 0287000000 (also 2 other entities) ┄ R3, R4',
        '  P2   weak link: websites x.vn (6.1 bits) (also 1 other entity) ┄ R2',
      ]);
    } finally {
      setLang('vi');
    }
  });

  it('escapes labels', () => {
    const hostile = dossierNetwork(
      dossier({ identities: [rec(1, 'websites', '<script>x</script>'), rec(2, 'x', 'y')] }),
    );
    expect(networkSvg(hostile)).toContain('&lt;script&gt;');
    expect(networkSvg(hostile)).not.toContain('<script>');
  });
});
