import { describe, expect, it } from 'vitest';
import { configHash, defaultConfig, validateConfig } from '../../engine/config/index.js';

describe('status.* and retention.* config keys', () => {
  it('default to 26 hours, 30 runs, 10 years', () => {
    expect([defaultConfig.status, defaultConfig.retention]).toEqual([{ maxAgeHours: 26 }, { runs: 30, years: 10 }]);
  });

  it.each([
    { part: { status: { maxAgeHours: 0 } }, key: 'status.maxAgeHours' },
    { part: { retention: { runs: 0 } }, key: 'retention.runs' },
    { part: { retention: { runs: 2.5 } }, key: 'retention.runs' },
    { part: { retention: { years: 0.5 } }, key: 'retention.years' },
    { part: { retention: { yeras: 5 } }, key: 'retention.yeras' },
  ])('refuses $part naming $key', ({ part, key }) => {
    const c = {
      ...defaultConfig,
      ...Object.fromEntries(Object.entries(part).map(([k, v]) => [k, { ...defaultConfig[k as 'status'], ...v }])),
    };
    const problems = validateConfig(c);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${key.replace('.', '\\.')}: `));
  });

  it('are outside the config hash: keeping the workspace does not change what a run computes', () => {
    const kept = { ...defaultConfig, status: { maxAgeHours: 50 }, retention: { runs: 5, years: 5 } };
    expect(configHash(kept)).toBe(configHash(defaultConfig));
    expect(configHash({ ...defaultConfig, seed: 2 })).not.toBe(configHash(defaultConfig));
  });
});
