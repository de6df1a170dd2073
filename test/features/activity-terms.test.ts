import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  activityPatterns,
  bareForm,
  defaultActivityPatterns,
  loadActivityTerms,
  matchActivityWords,
} from '../../engine/features/activity-terms.js';
import { InputError } from '../../engine/errors.js';
import { tempDir, writeFiles } from '../helpers.js';

const terms = loadActivityTerms();
const p = defaultActivityPatterns();
const found = (text: string, scope: 'names' | 'bank' | 'domain') =>
  matchActivityWords(text, scope, p)
    .map((m) => `${m.group}:${m.term}`)
    .sort();

describe('the activity dictionary (engine/features/activity-terms.csv)', () => {
  it('holds every group but `other` with at least five terms, each listed once', () => {
    expect(terms.length).toBeGreaterThanOrEqual(100);
    for (const g of ['goods', 'services', 'production_transport', 'property_lease'])
      expect(terms.filter((t) => t.group === g).length, g).toBeGreaterThanOrEqual(5);
    const keys = terms.map((t) => `${t.group}:${t.term}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('finds every term in its own scope, written with and without diacritics', () => {
    for (const t of terms) {
      const scope = t.scope === 'bank' ? 'bank' : 'names';
      expect(found(`xx ${t.term} yy`, scope), t.term).toContain(`${t.group}:${t.term}`);
      // two spellings with one bare form (giày, giầy) are both read from it: the first listed names it
      const same = (list: string[]) => list.map((x) => bareForm(x)).includes(bareForm(`${t.group}:${t.term}`));
      expect(same(found(`XX ${bareForm(t.term).toUpperCase()} YY`, scope)), bareForm(t.term)).toBe(true);
      if (t.joined) expect(same(found(`abc${bareForm(t.term).replace(/ /g, '')}xyz.vn`, 'domain')), t.term).toBe(true);
    }
  });

  it.each([
    { text: 'Khóa học Tiếng Anh Mít', scope: 'names', expected: ['services:khóa học'] },
    { text: 'KHOA HOC tieng anh', scope: 'names', expected: ['services:khóa học'] },
    { text: 'Khóa học'.normalize('NFD'), scope: 'names', expected: ['services:khóa học'] },
    // with diacritics a text must carry the term's: yoghurt is not repairs …
    { text: 'Sữa chua Bống', scope: 'names', expected: [] },
    // … without them the bare form is read as the dictionary's
    { text: 'sua chua bong', scope: 'names', expected: ['services:sửa chữa'] },
    { text: 'Spa Nail Bống', scope: 'names', expected: ['services:nail', 'services:spa'] },
    { text: 'spam shop', scope: 'names', expected: [] },
    { text: 'Hoa Hồng Đà Lạt', scope: 'names', expected: [] },
    { text: 'hoa hong thang 3', scope: 'bank', expected: ['services:hoa hồng'] },
    { text: 'mua 2 ao', scope: 'bank', expected: ['goods:áo'] },
    { text: 'ck tien hang', scope: 'bank', expected: ['goods:tiền hàng'] },
    { text: 'Xưởng may Bống', scope: 'names', expected: ['production_transport:xưởng may'] },
    { text: 'Cho thuê căn hộ', scope: 'names', expected: ['property_lease:cho thuê', 'property_lease:căn hộ'] },
    { text: 'Giày dép Na', scope: 'names', expected: ['goods:dép', 'goods:giày'] },
    { text: 'spabong.vn', scope: 'domain', expected: ['services:spa'] },
    { text: 'khoahoc-mit.com', scope: 'domain', expected: ['services:khóa học'] },
    { text: 'bongshop.vn', scope: 'domain', expected: [] },
  ] as const)('$text ($scope) → $expected', ({ text, scope, expected }) => {
    expect(found(text, scope)).toEqual([...expected].sort());
  });

  it('reports every bad row with its line and column', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'terms.csv': [
        'group,term,in,joined,note',
        'services,spa,all,1,',
        'toys,búp bê,all,1,',
        'services,,names,0,',
        'goods,áo,everywhere,2,',
        'services,SPA,all,1,',
      ].join('\n'),
    });
    const file = join(dir, 'terms.csv');
    let err: unknown;
    try {
      loadActivityTerms(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).toContain(file);
    expect(msg).toContain('line 3 (column group)');
    expect(msg).toContain('line 4 (column term): empty term');
    expect(msg).toContain('line 5 (column in)');
    expect(msg).toContain('line 5 (column joined)');
    expect(msg).toContain('line 6 (column term): "spa" is listed twice');
  });

  it('puts longer terms first, so a term inside a longer one does not steal its match', () => {
    const q = activityPatterns([
      { group: 'production_transport', term: 'xưởng', scope: 'names', joined: false },
      { group: 'production_transport', term: 'xưởng may', scope: 'all', joined: true },
    ]);
    expect(matchActivityWords('Xưởng may Bống', 'names', q).map((m) => m.term)).toEqual(['xưởng may']);
  });
});
