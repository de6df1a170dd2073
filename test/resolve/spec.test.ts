import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../engine/errors.js';
import { defaultIdentitySpec } from '../../engine/resolve/default-spec.js';
import {
  linkSpecProblems,
  normalizeLinkSpec,
  thresholdWeight,
  weightToProbability,
  type LinkSpec,
  type Threshold,
} from '../../engine/resolve/spec.js';

const minimal: LinkSpec = {
  fields: { phone: {}, name: { column: ['owner_name', 'name'], normalize: 'name' } },
  comparisons: [
    { name: 'phone', field: 'phone', levels: [{ kind: 'exact', tf_adjust: true }] },
    { name: 'name', field: 'name', levels: [{ kind: 'null' }, { kind: 'jaro_winkler', min: 0.9 }, { kind: 'else' }] },
  ],
  blocking: [{ fields: ['phone'] }],
  threshold: { match_probability: 0.9 },
  clustering: { strong: { match_weight: 10 } },
};

const broken = (patch: (s: Record<string, unknown>) => void) => {
  const s = structuredClone(minimal) as unknown as Record<string, unknown>;
  patch(s);
  return s;
};

describe('linkSpecProblems', () => {
  it.each([
    { name: 'the default identity spec', spec: defaultIdentitySpec, expected: [] },
    { name: 'a minimal spec', spec: minimal, expected: [] },
    { name: 'not an object', spec: [], expected: ['the spec must be a JSON object'] },
    {
      name: 'unknown comparison field',
      spec: broken((s) => ((s.comparisons as { field: string }[])[0]!.field = 'mobile')),
      expected: ['comparisons[0].field: "mobile" is not a field declared in "fields"'],
    },
    {
      name: 'unknown level kind',
      spec: broken((s) => ((s.comparisons as { levels: unknown[] }[])[0]!.levels = [{ kind: 'soundex' }])),
      expected: [
        'comparisons[0].levels[0].kind: expected one of null, exact, jaro_winkler, levenshtein, jaccard, tfidf_cosine, abs_diff, rel_diff, date_diff, else, got "soundex"',
      ],
    },
    {
      name: 'jaro-winkler without min',
      spec: broken((s) => ((s.comparisons as { levels: unknown[] }[])[1]!.levels[1] = { kind: 'jaro_winkler' })),
      expected: ['comparisons[1].levels[1].min: expected a similarity in (0, 1], got undefined'],
    },
    {
      name: 'null level not first',
      spec: broken(
        (s) => ((s.comparisons as { levels: unknown[] }[])[1]!.levels = [{ kind: 'exact' }, { kind: 'null' }]),
      ),
      expected: ['comparisons[1].levels[1]: the "null" level must come first'],
    },
    {
      name: 'both thresholds at once',
      spec: broken((s) => (s.threshold = { match_probability: 0.9, match_weight: 3 })),
      expected: ['threshold: expected exactly one of "match_probability" or "match_weight"'],
    },
    {
      name: 'probability out of range',
      spec: broken((s) => (s.threshold = { match_probability: 1.5 })),
      expected: ['threshold.match_probability: expected a number strictly between 0 and 1'],
    },
    {
      name: 'strong below threshold',
      spec: broken((s) => (s.clustering = { strong: { match_probability: 0.5 } })),
      expected: ['clustering.strong: must not be below "threshold"'],
    },
    {
      name: 'duplicate comparison names',
      spec: broken((s) => ((s.comparisons as { name: string }[])[1]!.name = 'phone')),
      expected: ['comparisons[1].name: "phone" is used twice'],
    },
    {
      name: 'tf_tokens without tf_adjust',
      spec: broken(
        (s) => ((s.comparisons as { levels: unknown[] }[])[0]!.levels = [{ kind: 'exact', tf_tokens: true }]),
      ),
      expected: ['comparisons[0].levels[0].tf_tokens: only meaningful with "tf_adjust": true'],
    },
    {
      name: 'blocking on an unknown field',
      spec: broken((s) => (s.blocking = [{ fields: ['email'] }])),
      expected: ['blocking[0].fields[0]: "email" is not a field declared in "fields"'],
    },
    {
      name: 'decisive without identifier',
      spec: broken((s) => ((s.comparisons as { decisive?: boolean }[])[0]!.decisive = true)),
      expected: ['comparisons[0].decisive: only meaningful with "identifier": true'],
    },
    {
      name: 'never_hub without decisive',
      spec: broken((s) => ((s.comparisons as { never_hub?: boolean }[])[0]!.never_hub = true)),
      expected: ['comparisons[0].never_hub: only meaningful with "decisive": true'],
    },
    {
      name: 'hubs_unknown not a boolean',
      spec: broken(
        (s) =>
          ((s.comparisons as { degree_guard?: unknown }[])[0]!.degree_guard = {
            name_field: 'name',
            max_names: 3,
            hubs_unknown: 'yes',
          }),
      ),
      expected: ['comparisons[0].degree_guard.hubs_unknown: expected true or false'],
    },
    {
      name: 'degree guard counted on an undeclared field',
      spec: broken(
        (s) =>
          ((s.comparisons as { degree_guard?: unknown }[])[0]!.degree_guard = {
            name_field: 'name',
            value_field: 'street',
            max_names: 3,
          }),
      ),
      expected: ['comparisons[0].degree_guard.value_field: "street" is not a field declared in "fields"'],
    },
    {
      name: 'combine of another kind',
      spec: broken((s) => ((s.fields as Record<string, unknown>).phone = { column: ['a', 'b'], combine: 'both' })),
      expected: ['fields.phone.combine: expected "first", "join" or "all"'],
    },
    {
      name: 'optional not a boolean',
      spec: broken((s) => ((s.fields as Record<string, unknown>).phone = { optional: 1 })),
      expected: ['fields.phone.optional: expected true or false'],
    },
    {
      name: 'corroboration of one identifier',
      spec: broken((s) => (s.clustering = { strong: { match_weight: 10 }, corroboration: { min_identifiers: 1 } })),
      expected: ['clustering.corroboration: expected { "min_identifiers": n ≥ 2, "max_clusters_per_value"?: n ≥ 2 }'],
    },
    {
      name: 'decisive spread below 2',
      spec: broken(
        (s) =>
          (s.clustering = {
            strong: { match_weight: 10 },
            corroboration: { min_identifiers: 2, max_clusters_per_decisive_value: 1 },
          }),
      ),
      expected: ['clustering.corroboration.max_clusters_per_decisive_value: expected an integer ≥ 2'],
    },
    {
      name: 'exclusive field not declared',
      spec: broken((s) => (s.clustering = { strong: { match_weight: 10 }, exclusive_field: 'holder' })),
      expected: ['clustering.exclusive_field: "holder" is not a field declared in "fields"'],
    },
    {
      name: 'unknown clustering method',
      spec: broken((s) => (s.clustering = { method: 'louvain' })),
      expected: ['clustering.method: expected one of guarded, components, one_to_one'],
    },
    {
      name: 'guards with components',
      spec: broken((s) => (s.clustering = { method: 'components', strong: { match_weight: 10 } })),
      expected: ['clustering.strong: only for "method": "guarded" ("components" has no guards)'],
    },
    {
      name: 'one-to-one in a dedupe',
      spec: broken((s) => ((s.link_type = 'dedupe_only'), (s.clustering = { method: 'one_to_one' }))),
      expected: ['clustering.method: "one_to_one" links two files only (link_type "link_only")'],
    },
    {
      name: 'unknown link type',
      spec: broken((s) => (s.link_type = 'link')),
      expected: ['link_type: expected one of dedupe_only, link_only, link_and_dedupe'],
    },
    {
      name: 'prefix key without length',
      spec: broken((s) => (s.blocking = [{ fields: [{ field: 'name', key: 'prefix' }] }])),
      expected: ['blocking[0].fields[0].length: a "prefix" key needs "length": an integer ≥ 1'],
    },
    {
      name: 'unknown blocking key',
      spec: broken((s) => (s.blocking = [{ fields: [{ field: 'name', key: 'soundex' }] }])),
      expected: [
        'blocking[0].fields[0].key: expected one of value, prefix, sorted_words, words, digits, model, phonetic, year, year_month, month_day',
      ],
    },
    {
      name: 'date format on a word key',
      spec: broken((s) => (s.blocking = [{ fields: [{ field: 'name', key: 'words', format: '%Y' }] }])),
      expected: [
        'blocking[0].fields[0].format: a strptime format or a list of them (e.g. "%Y%m%d"), for date parts only',
      ],
    },
    {
      name: 'pair budget of zero',
      spec: broken((s) => (s.max_pairs = 0)),
      expected: ['max_pairs: expected an integer ≥ 1'],
    },
    {
      name: 'unknown clustering key',
      spec: broken((s) => (s.clustering = { strong: { match_weight: 10 }, bridges: {} })),
      expected: ['clustering.bridges: unknown key'],
    },
  ])('$name', ({ spec, expected }) => {
    expect(linkSpecProblems(spec)).toEqual(expected);
  });

  it('reports every problem at once', () => {
    const problems = linkSpecProblems({
      fields: {},
      comparisons: [],
      blocking: [],
      threshold: {},
      clustering: {},
      extra: 1,
    });
    expect(problems).toEqual([
      'extra: unknown key (expected one of unique_id, link_type, fields, comparisons, blocking, max_block_size, max_pairs, prior, estimate, threshold, confidence, clustering, $comment)',
      'fields: expected an object naming at least one field',
      'comparisons: expected at least one comparison',
      'blocking: expected at least one rule like { "fields": ["phone"] }',
      'threshold: expected exactly one of "match_probability" or "match_weight"',
    ]);
  });
});

describe('normalizeLinkSpec', () => {
  it('throws one ConfigError naming the source and every problem', () => {
    const run = () =>
      normalizeLinkSpec({ fields: {}, comparisons: [], blocking: [], threshold: {}, clustering: {} }, 'spec.json');
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/^spec\.json: 4 config problem\(s\): fields: /);
  });

  it('makes null and else levels explicit and fills defaults', () => {
    const spec = normalizeLinkSpec(minimal);
    expect(spec.comparisons[0]!.levels.map((l) => l.label)).toEqual(['null', 'exact +tf', 'else']);
    expect(spec.comparisons[1]!.levels.map((l) => l.kind)).toEqual(['null', 'jaro_winkler', 'else']);
    expect(spec.fields).toEqual({
      phone: { column: ['phone'], normalize: 'none' },
      name: { column: ['owner_name', 'name'], normalize: 'name' },
    });
    expect(spec.clustering).toEqual({
      method: 'guarded',
      strong: { match_weight: 10 },
      min_shared_identifiers: 2,
      bridge: { min_side: 3, threshold: { match_weight: 10 } },
    });
    expect(spec.estimate.u_sample_pairs).toBe(1_000_000);
  });

  it('fills corroboration defaults and keeps the exclusive field', () => {
    const spec = normalizeLinkSpec({
      ...minimal,
      clustering: { strong: { match_weight: 10 }, corroboration: { min_identifiers: 2 }, exclusive_field: 'phone' },
    });
    expect(spec.clustering.corroboration).toEqual({
      min_identifiers: 2,
      max_clusters_per_value: 50,
      max_clusters_per_decisive_value: 3,
    });
    expect(spec.clustering.exclusive_field).toBe('phone');
  });

  it('is JSON-serialisable (round trip gives the same spec)', () => {
    const spec = normalizeLinkSpec(defaultIdentitySpec);
    expect(normalizeLinkSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });
});

describe('thresholds', () => {
  it.each<{ t: Threshold; w: number; p: number }>([
    { t: { match_probability: 0.5 }, w: 0, p: 0.5 },
    { t: { match_probability: 0.8 }, w: 2, p: 0.8 },
    { t: { match_weight: -3 }, w: -3, p: 1 / 9 },
  ])('$t → weight $w', ({ t, w, p }) => {
    expect(thresholdWeight(t)).toBeCloseTo(w, 12);
    expect(weightToProbability(thresholdWeight(t))).toBeCloseTo(p, 12);
  });
});
