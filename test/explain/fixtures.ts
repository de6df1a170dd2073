/** A small dossier for network and page tests: records of three sources, scored and exact links, two parties. */
import type { Dossier, IdentityRecord, LinkEvidence } from '../../engine/explain/dossier.js';

export const rec = (record_id: number, source: string, label: string): IdentityRecord => ({
  record_id,
  source,
  label,
  name: null,
  tax_id: null,
  national_id: null,
  phone: null,
  email: null,
  account: null,
  domain: null,
  province: null,
});

export const scored = (id_a: number, id_b: number, parts: [string, number][]): LinkEvidence => ({
  record_a: `a${id_a}`,
  record_b: `b${id_b}`,
  method: 'scored',
  match_weight: parts.reduce((s, [, w]) => s + w, 0),
  match_probability: 0.99,
  confidence: 'high',
  parts: parts.map(([part, weight]) => ({ part, weight })),
  shared: [],
  id_a,
  id_b,
});

/** Two COD sender profiles with the same label (only their record ids tell them apart), a shop, a registry entry. */
export const dossier = (over: Partial<Dossier> = {}): Dossier => ({
  entity_id: 'E1',
  registry_candidate: null,
  tax_year: 2025,
  run_id: 'r1',
  case: null,
  identities: [
    rec(30, 'cod_shipments', 'COD sender 0912 (Huế)'),
    rec(31, 'cod_shipments', 'COD sender 0912 (Huế)'),
    rec(20, 'platform_sellers', 'shopee:1'),
    rec(10, 'taxpayers', '0312345678'),
  ],
  identifiers: {
    names: [],
    tax_ids: [],
    national_ids: [],
    phones: [],
    emails: [],
    accounts: [],
    domains: [],
    shops: [],
  },
  records: [],
  links: [
    scored(30, 31, [
      ['prior', -8.5],
      ['phone', 19.9],
      ['account', 19.7],
    ]),
    scored(20, 30, [
      ['prior', -8.5],
      ['shop', 18.1],
    ]),
    {
      ...scored(10, 20, []),
      method: 'exact',
      match_weight: null,
      shared: ['phone', 'national_id'],
    },
  ],
  related: [
    { kind: 'warehouse_phone', value: '0287000000', entities: ['E2', 'E3'], entity_count: 2, records: [30, 31] },
    { kind: 'weak_link', value: 'websites x.vn (6.1 bits)', entities: ['E9'], entity_count: 1, records: [20] },
  ],
  link_method: 'scored',
  revenue: null,
  reasons: [],
  notes: [],
  ...over,
});
