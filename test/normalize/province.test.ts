import { describe, expect, it } from 'vitest';
import {
  currentProvinces,
  normProvince,
  oldToCurrent,
  provinceAliases,
  provinceKey,
  provinceOfAddress,
  stripDiacritics,
} from '../../engine/normalize/index.js';
import { provinceCases } from './cases.js';

const currentNames = new Set(currentProvinces.map((p) => p.name));

describe('province reference data', () => {
  it('has 34 current provinces with distinct two-digit codes and names', () => {
    expect(currentProvinces).toHaveLength(34);
    expect(new Set(currentProvinces.map((p) => p.code)).size).toBe(34);
    expect(currentNames.size).toBe(34);
    for (const p of currentProvinces) expect(p.code).toMatch(/^[0-9]{2}$/);
  });

  it('maps all 63 old provinces, each to a current one', () => {
    expect(Object.keys(oldToCurrent)).toHaveLength(63);
    for (const current of Object.values(oldToCurrent)) expect(currentNames.has(current)).toBe(true);
  });

  it.each([
    { old: 'Thừa Thiên Huế', current: 'Huế' },
    { old: 'Bà Rịa - Vũng Tàu', current: 'Hồ Chí Minh' },
    { old: 'Bình Dương', current: 'Hồ Chí Minh' },
    { old: 'Kon Tum', current: 'Quảng Ngãi' },
    { old: 'Hòa Bình', current: 'Phú Thọ' },
    { old: 'Sóc Trăng', current: 'Cần Thơ' },
    { old: 'Hà Nội', current: 'Hà Nội' },
  ])('oldToCurrent[$old] = $current', ({ old, current }) => {
    expect(oldToCurrent[old]).toBe(current);
  });

  it('only maps alias keys to current provinces', () => {
    for (const province of provinceAliases.values()) expect(currentNames.has(province)).toBe(true);
  });
});

describe('normProvince', () => {
  it.each(provinceCases)('normProvince($input) → $expected', ({ input, expected }) => {
    expect(normProvince(input)).toBe(expected);
  });

  const spellings = Object.entries(oldToCurrent).flatMap(([old, current]) => [
    { input: old, expected: current },
    { input: stripDiacritics(old), expected: current },
    { input: old.toUpperCase(), expected: current },
    { input: `Tỉnh ${old}`, expected: current },
    { input: `tinh ${stripDiacritics(old).toLowerCase()}`, expected: current },
    { input: `12 Đường Số 3, Phường 4, ${old}`, expected: current },
  ]);
  it.each(spellings)('reads the old name $input as $expected', ({ input, expected }) => {
    expect(normProvince(input)).toBe(expected);
  });

  it.each(currentProvinces.map((p) => ({ name: p.name })))('keeps the current name $name', ({ name }) => {
    expect(normProvince(name)).toBe(name);
    expect(normProvince(`TP. ${name}`)).toBe(name);
  });

  it.each(provinceCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normProvince(input);
    expect(normProvince(once)).toBe(once);
  });
});

describe('provinceOfAddress', () => {
  it.each([
    { input: '12 Lê Lợi, P. Bến Nghé, Q.1, TP.HCM', expected: 'Hồ Chí Minh' },
    { input: 'Số 5, Phường 3, Thành phố Vũng Tàu, Việt Nam', expected: 'Hồ Chí Minh' },
    { input: 'Phường Hòa Bình, TP Biên Hòa', expected: null },
    { input: 'Hà Nội', expected: 'Hà Nội' },
    { input: null, expected: null },
  ])('provinceOfAddress($input) → $expected', ({ input, expected }) => {
    expect(provinceOfAddress(input)).toBe(expected);
  });
});

describe('provinceKey', () => {
  it.each([
    { input: 'TP. Hồ Chí Minh', expected: 'hochiminh' },
    { input: 'Tỉnh Đắk Lắk', expected: 'daklak' },
    { input: 'T.P Hà Nội', expected: 'hanoi' },
    { input: 'Thành phố Cần Thơ', expected: 'cantho' },
    { input: 'Tây Ninh', expected: 'tayninh' },
    { input: 'Tiền Giang', expected: 'tiengiang' },
    { input: 'TPHCM', expected: 'tphcm' },
    { input: null, expected: '' },
  ])('provinceKey($input) → $expected', ({ input, expected }) => {
    expect(provinceKey(input)).toBe(expected);
  });
});
