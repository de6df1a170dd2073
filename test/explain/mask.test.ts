import { describe, expect, it } from 'vitest';
import { maskDossier } from '../../engine/explain/mask.js';
import { dossierNetwork, networkSvg, networkText } from '../../engine/explain/network.js';
import { formatDossierJson, formatDossierText, renderDossierHtml } from '../../engine/explain/render.js';
import { dossier, rec } from './fixtures.js';

// A seller whose phone, national ID, account and e-mail appear in its records, labels, related parties and rows.
const d = dossier({
  entity_id: 'E12345678AB',
  identities: [
    { ...rec(30, 'cod_shipments', 'COD sender 0912345678 → VCB:1021038313816 (Huế)'), phone: '0912345678' },
    { ...rec(20, 'platform_sellers', 'shopee:1'), email: 'nguyen.an@gmail.com', account: 'VCB:1021038313816' },
    { ...rec(10, 'taxpayers', '079012341234'), national_id: '079012341234', tax_id: '0312345678', name: 'Ngô An' },
  ],
  identifiers: {
    names: ['Ngô An'],
    tax_ids: ['0312345678'],
    national_ids: ['079012341234'],
    phones: ['0912345678'],
    emails: ['nguyen.an@gmail.com'],
    accounts: ['VCB:1021038313816'],
    domains: [],
    shops: ['shopee:1'],
  },
  records: [
    {
      source: 'bank_transactions',
      count: 1,
      amount_vnd: 5_000_000,
      classes: [],
      columns: ['counterparty_account', 'memo', 'amount'],
      rows: [{ counterparty_account: '19118980380904', memo: 'ck 0912345678 lan@x.vn', amount: 5_000_000 }],
    },
  ],
  related: [{ kind: 'shared_phone', value: '0987654321', entities: ['E98765432CD'], entity_count: 1, records: [30] }],
});
const secrets = [
  '0912345678',
  '079012341234',
  '0312345678',
  '1021038313816',
  'nguyen.an@gmail.com',
  '19118980380904',
  'lan@x.vn',
  '0987654321',
];

describe('maskDossier', () => {
  const m = maskDossier(d);

  it.each([
    ['text', formatDossierText(m)],
    ['json', formatDossierJson(m)],
    ['html', renderDossierHtml(m)],
    ['network', networkSvg(dossierNetwork(m)) + networkText(dossierNetwork(m)).join('\n')],
  ])('leaves no identifier in the %s dossier, and keeps the entity ids', (_, out) => {
    for (const s of secrets) expect(out, s).not.toContain(s);
    expect(out).toMatch(/0912\*\*\*678/);
    if (_ !== 'network') expect(out).toContain('E12345678AB');
    if (_ !== 'network') expect(out).toContain('E98765432CD');
  });

  it('masks the values themselves as the exports do, and keeps the structure', () => {
    expect(m.identities.map((r) => r.phone ?? r.national_id ?? r.email)).toEqual([
      '0912***678',
      'n***@gmail.com',
      '0790****1234',
    ]);
    expect(m.identities[2]!.name).toBe('Ngô An');
    expect(m.records[0]!.rows[0]).toEqual({
      counterparty_account: '1911****0904',
      memo: 'ck 0912***678 l***@x.vn',
      amount: 5_000_000,
    });
    expect(m.related[0]).toMatchObject({ value: '0987***321', entities: ['E98765432CD'], records: [30] });
    expect(dossierNetwork(m).edges).toEqual(dossierNetwork(d).edges);
  });

  it('does not change the dossier it is given', () => {
    maskDossier(d);
    expect(d.identities[0]!.phone).toBe('0912345678');
  });
});
