/**
 * The spec sangloc links its identity records with (table `identity_records`, already normalised
 * by staging). Identifiers exact; shared contact values weighed by term frequency and capped when
 * many distinct names carry them (a carrier hub's phone); names compared Vietnamese-style (word
 * order free, common surnames and given names weigh little); addresses by Jaro–Winkler.
 */
import type { LinkSpec } from './spec.js';

const contactGuard = { name_field: 'name_key', max_names: 5, cap_weight: 1 };

export const defaultIdentitySpec: LinkSpec = {
  fields: {
    tax_id: {},
    national_id: {},
    account: {},
    phone: {},
    email: {},
    name_key: {},
    province: {},
    address_key: {},
  },
  comparisons: [
    { name: 'tax_id', field: 'tax_id', identifier: true, levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] },
    { name: 'national_id', field: 'national_id', identifier: true, levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] },
    {
      name: 'account',
      field: 'account',
      identifier: true,
      degree_guard: contactGuard,
      levels: [{ kind: 'null' }, { kind: 'exact', tf_adjust: true }, { kind: 'else' }],
    },
    {
      name: 'phone',
      field: 'phone',
      identifier: true,
      degree_guard: contactGuard,
      levels: [{ kind: 'null' }, { kind: 'exact', tf_adjust: true }, { kind: 'else' }],
    },
    {
      name: 'email',
      field: 'email',
      identifier: true,
      degree_guard: contactGuard,
      levels: [{ kind: 'null' }, { kind: 'exact', tf_adjust: true }, { kind: 'else' }],
    },
    {
      name: 'name',
      field: 'name_key',
      levels: [
        { kind: 'null' },
        { kind: 'exact', tf_adjust: true, tf_tokens: true },
        { kind: 'exact', word_order: 'sorted', tf_adjust: true, tf_tokens: true },
        { kind: 'jaro_winkler', min: 0.95, word_order: 'either' },
        { kind: 'jaro_winkler', min: 0.88, word_order: 'either' },
        { kind: 'else' },
      ],
    },
    { name: 'province', field: 'province', levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] },
    {
      name: 'address',
      field: 'address_key',
      levels: [
        { kind: 'null' },
        { kind: 'exact', tf_adjust: true },
        { kind: 'jaro_winkler', min: 0.92 },
        { kind: 'jaro_winkler', min: 0.8 },
        { kind: 'else' },
      ],
    },
  ],
  blocking: [
    { fields: ['tax_id'] },
    { fields: ['national_id'] },
    { fields: ['account'] },
    { fields: ['phone'] },
    { fields: ['email'] },
    { fields: ['name_key', 'province'] },
  ],
  max_block_size: 300,
  threshold: { match_probability: 0.95 },
  confidence: { A: 0.9999, B: 0.999, C: 0.99 },
  clustering: {
    strong: { match_probability: 0.999 },
    min_shared_identifiers: 2,
    bridge: { min_side: 3, threshold: { match_probability: 0.99999 } },
  },
};
