/**
 * The spec sangloc links its identity records with (table `int_identity_records`, already
 * normalised by staging).
 *
 * - Identifiers (tax ID, national ID, bank account, phone) agreeing exactly weigh about 20 bits:
 *   their u is fixed at 1e-6, not sampled, because random pairs that agree on an identifier are
 *   nearly all the same person (a seller leaves dozens of records), which makes a sampled u, or a
 *   term frequency counted in records, say that a personal phone is shared by strangers.
 * - Hub values (a carrier's hub phone, a marketplace's collection account: more distinct names
 *   than the guard allows) are unknown on either side, agreeing or not.
 * - E-mail keeps its term frequency: addresses are often made from the name, so two namesakes can
 *   share one.
 * - Names are compared Vietnamese-style (word order free, common surnames and given names weigh
 *   little), addresses by Jaro–Winkler. A name at an address (`home`) is an identifier where few
 *   names are seen at the address (a seller's home, not a post office: `homeGuard`).
 * - A bank account, a mobile phone (both registered to one person's ID in Vietnam) and a shop
 *   (the shop's own record and its marketplace parcels, `shop_key`) are decisive: clusters
 *   sharing one belong together, unless the value is spread over more than 3 clusters (a hub the
 *   degree guard missed; not a shop key, which the SQL gives to one shop's records only). Clusters
 *   sharing two different identifiers merge (cluster-level corroboration), and clusters holding
 *   different holders' national IDs (registry or bank KYC, `holder_id`) never merge. Nominee shops
 *   come with their lender's identity moved out of the way (int_identity_records.sql), so the
 *   phone a shop borrowed decides nothing.
 */
import type { ComparisonSpec, LevelSpec, LinkSpec } from './spec.js';

/**
 * More distinct people than this on one phone or e-mail: a hub (personal ones carry their owner and
 * a few shop names). Spellings of one name count once: `phone_person` / `email_person` name the
 * person each record's name stands for on that value (int_identity_records.sql).
 */
const phoneGuard = { name_field: 'phone_person', max_names: 5, cap_weight: 1, hubs_unknown: true };
const emailGuard = { name_field: 'email_person', max_names: 5, cap_weight: 1, hubs_unknown: true };

/** Bank accounts: personal ones carry a few names (holder, shop names on COD parcels); collection accounts hundreds. */
const accountGuard = { name_field: 'name_key', max_names: 20, cap_weight: 1, hubs_unknown: true };

/**
 * A name at an address is one person's when few names are seen at that address: her own name and her
 * shops' (a seller's home carries 1 to 3); a post office, a depot or a warehouse many more, and there
 * two namesakes may meet, so there the pair says nothing (hubs unknown). Counted as written (spellings
 * of one name count apart: a busy seller's home may pass for a hub, never the reverse).
 */
const homeGuard = { name_field: 'name_key', value_field: 'address_key', max_names: 3, hubs_unknown: true };

/**
 * A national ID the registry or a bank verified (KYC: `kyc_id`, none on a shop or a site, whose owner
 * may lend their papers) is one person's, whatever name the record writes: a household business
 * registered under its trade name (`HKD Tổng kho gia dụng`) and its owner's account (`PHẠM MINH VY`)
 * agree on the ID and on nothing else, and the ID alone (about 20 bits, `national_id`) stays under
 * what a link needs against the prior and a disagreeing name. Decisive, and weighing nothing: m = u
 * at every level, so the ID is not counted twice in a pair's weight and EM learns nothing from it.
 */
const verifiedId: LevelSpec[] = [{ kind: 'null' }, { kind: 'exact', m: 0.5, u: 0.5 }, { kind: 'else', m: 0.5, u: 0.5 }];

/** u of an identifier agreeing between two different people (fixed; see above). */
const IDENTIFIER_U = 1e-6;

const identifier = (name: string, extra: Partial<ComparisonSpec> = {}): ComparisonSpec => ({
  name,
  field: name,
  identifier: true,
  levels: [{ kind: 'null' }, { kind: 'exact', u: IDENTIFIER_U }, { kind: 'else' }],
  ...extra,
});

export const defaultIdentitySpec: LinkSpec = {
  fields: {
    tax_id: {},
    national_id: {},
    // the account, with the person on it when it is shared (a relative's account; int_identity_records.sql)
    account: { column: ['account_key', 'account'] },
    // the contact, with the person on it when it is shared (int_identity_records.sql); as written otherwise
    phone: { column: ['phone_key', 'phone'] },
    email: { column: ['email_key', 'email'] },
    name_key: {},
    province: {},
    address_key: {},
    // a name at an address (both known): a person at her home, a shop at its premises
    home: { column: ['name_key', 'address_key'], combine: 'all' },
    shop_key: { optional: true },
    holder_id: { optional: true },
    // the national ID the registry or a bank verified (int_identity_records.sql): decisive, weighing nothing more
    kyc_id: { optional: true },
    // without the person columns (a plain identity_records table), names are counted as written
    phone_person: { column: ['phone_person', 'name_key'] },
    email_person: { column: ['email_person', 'name_key'] },
  },
  comparisons: [
    identifier('tax_id'),
    identifier('national_id'),
    identifier('account', { degree_guard: accountGuard, decisive: true }),
    identifier('phone', { degree_guard: phoneGuard, decisive: true }),
    {
      name: 'email',
      field: 'email',
      identifier: true,
      degree_guard: emailGuard,
      levels: [{ kind: 'null' }, { kind: 'exact', tf_adjust: true }, { kind: 'else' }],
    },
    // a shop key is given by the SQL to one shop's own records: never a hub, however many clusters hold it
    identifier('shop', { field: 'shop_key', decisive: true, never_hub: true }),
    // a name at an address few names are seen at (issue 14, home52): see homeGuard
    identifier('home', { degree_guard: homeGuard }),
    // a national ID both the registry and a bank verified (issue 14, kyc53): see verifiedId
    identifier('kyc', { field: 'kyc_id', decisive: true, levels: verifiedId }),
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
    { fields: ['shop_key'] },
    { fields: ['home'] },
    { fields: ['name_key', 'province'] },
  ],
  max_block_size: 300,
  threshold: { match_probability: 0.95 },
  confidence: { A: 0.9999, B: 0.999, C: 0.99 },
  clustering: {
    strong: { match_probability: 0.999 },
    min_shared_identifiers: 2,
    bridge: { min_side: 3, threshold: { match_probability: 0.99999 } },
    corroboration: { min_identifiers: 2, max_clusters_per_value: 50, max_clusters_per_decisive_value: 3 },
    exclusive_field: 'holder_id',
  },
};
