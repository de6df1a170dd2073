/**
 * The dictionary of activity words (engine/features/activity-terms.csv, documented in
 * docs/domain.md, "The activity of a seller the registry does not classify"): Vietnamese and
 * loan words that name an activity group in shop names, site names and bank transfer descriptions.
 *
 * A text written with diacritics must carry a term's diacritics (`Sữa chua` is yoghurt, not
 * `sửa chữa`, repairs); a text written without any matches the bare form (`sua chua` → repairs).
 * Domains are run together (`spabong.vn`): terms marked `joined` are also looked for inside them.
 * The same matching runs in DuckDB (pipelines/marts/mart_entity_activity.sql, over the patterns and
 * forms `activityVariables` hands it) and here (`matchActivityWords`, for tests and the dossier).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { activityGroups, isActivityGroup, type ActivityGroup } from '../config/tax-rules.js';
import { InputError } from '../errors.js';
import { packageRoot } from '../paths.js';

/** Where a term is looked for: names (shops, sites, COD senders), bank descriptions, or both. */
export type TermScope = 'all' | 'names' | 'bank';

export interface ActivityTerm {
  group: ActivityGroup;
  /** As written in the file (lower case, with diacritics where Vietnamese). */
  term: string;
  scope: TermScope;
  /** Also looked for inside a run-together domain name. */
  joined: boolean;
}

/** The dictionary shipped with the engine. */
export const activityTermsFile = join(packageRoot, 'engine', 'features', 'activity-terms.csv');

const scopes: readonly TermScope[] = ['all', 'names', 'bank'];

/** Lower case, NFC, one space between words, non-letters as spaces. */
export const markedForm = (s: string): string =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Without diacritics (đ → d). */
export const bareForm = (s: string): string =>
  markedForm(s).replace(/đ/g, 'd').normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

/** A domain's letters and digits run together, without diacritics (`spa-bong.vn` → `spabongvn`). */
export const joinedForm = (s: string): string => bareForm(s).replace(/ /g, '');

/** Whether a text carries any Vietnamese diacritic. */
export const hasMarks = (s: string): boolean => markedForm(s) !== bareForm(s);

/**
 * Reads and checks the dictionary; every bad row is reported at once with its line and column.
 *
 * @example loadActivityTerms().find((t) => t.term === 'spa')?.group // 'services'
 */
export function loadActivityTerms(file: string = activityTermsFile): ActivityTerm[] {
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Record<
    string,
    string
  >[];
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: ActivityTerm[] = [];
  rows.forEach((r, k) => {
    const line = k + 2;
    const bad = (column: string, what: string) => problems.push(`line ${line} (column ${column}): ${what}`);
    const term = markedForm(r.term ?? '');
    if (!term) bad('term', 'empty term');
    if (!isActivityGroup(r.group)) bad('group', `expected one of ${activityGroups.join(', ')}`);
    if (!scopes.includes(r.in as TermScope)) bad('in', `expected one of ${scopes.join(', ')}`);
    if (r.joined !== '0' && r.joined !== '1') bad('joined', 'expected 0 or 1');
    const key = term;
    if (term && seen.has(`${r.group}:${key}`)) bad('term', `"${term}" is listed twice for ${r.group}`);
    seen.add(`${r.group}:${key}`);
    if (term && isActivityGroup(r.group) && scopes.includes(r.in as TermScope))
      out.push({ group: r.group, term, scope: r.in as TermScope, joined: r.joined === '1' });
  });
  if (problems.length)
    throw new InputError(file, `${problems.length} bad row(s) in the activity dictionary: ${problems.join('; ')}`);
  return out;
}

/** How texts are matched, for one scope. */
interface ScopePatterns {
  /** Over texts with diacritics: the marked forms. */
  marked: string;
  /** Over texts without: the bare forms. */
  bare: string;
}

export interface ActivityPatterns {
  names: ScopePatterns;
  bank: ScopePatterns;
  /** Inside run-together domain names (bare, no spaces). */
  joined: string;
  /** Every form → group and dictionary term, for mapping a match back: `k` is marked, bare or joined. */
  forms: { f: string; g: ActivityGroup; k: 'marked' | 'bare' | 'joined'; t: string }[];
}

/** Matches nothing (RE2 has no lookahead). */
const NEVER = '([^\\s\\S])';
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** ` (a|b c) ` over a text padded as `prepare` pads it; longest first so `xưởng may` wins over `xưởng`. */
const alternation = (forms: Iterable<string>) => {
  const list = [...new Set(forms)].filter(Boolean).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return list.length ? ` (${list.map((f) => f.split(' ').map(escapeRegex).join(' +')).join('|')}) ` : NEVER;
};

/**
 * The regular expressions (RE2 and JavaScript alike) and forms the SQL model and the matcher use.
 *
 * @example activityPatterns(loadActivityTerms()).joined // '(khoahoc|…)'
 */
export function activityPatterns(terms: readonly ActivityTerm[]): ActivityPatterns {
  const inScope = (s: 'names' | 'bank') => terms.filter((t) => t.scope === 'all' || t.scope === s);
  const scope = (s: 'names' | 'bank'): ScopePatterns => ({
    marked: alternation(inScope(s).map((t) => t.term)),
    bare: alternation(inScope(s).map((t) => bareForm(t.term))),
  });
  const joinedForms = terms.filter((t) => t.joined).map((t) => joinedForm(t.term));
  const jl = [...new Set(joinedForms)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const forms: ActivityPatterns['forms'] = [];
  const seen = new Set<string>();
  const add = (f: string, t: ActivityTerm, k: 'marked' | 'bare' | 'joined') => {
    const key = `${k}:${t.group}:${f}`;
    if (!seen.has(key)) forms.push({ f, g: t.group, k, t: t.term });
    seen.add(key);
  };
  for (const t of terms) {
    add(t.term, t, 'marked');
    add(bareForm(t.term), t, 'bare');
    if (t.joined) add(joinedForm(t.term), t, 'joined');
  }
  return {
    names: scope('names'),
    bank: scope('bank'),
    joined: jl.length ? `(${jl.map(escapeRegex).join('|')})` : NEVER,
    forms,
  };
}

/** A text padded for matching: non-letters become two spaces, so adjacent terms each keep a boundary. */
export const prepareText = (s: string): string => `  ${markedForm(s).replace(/ /g, '  ')}  `;

/**
 * The groups and terms a text names (each term once), as the SQL model finds them.
 *
 * @example matchActivityWords('Khóa học Spa Bống', 'names', p) // [{ group: 'services', term: 'khóa học' }, …]
 */
export function matchActivityWords(
  text: string,
  scope: 'names' | 'bank' | 'domain',
  p: ActivityPatterns,
): { group: ActivityGroup; term: string }[] {
  let found: string[];
  let kind: 'marked' | 'bare' | 'joined';
  if (scope === 'domain') {
    kind = 'joined';
    const label = joinedForm(text);
    found = [...label.matchAll(new RegExp(p.joined, 'gu'))].map((m) => m[1]!);
  } else {
    kind = hasMarks(text) ? 'marked' : 'bare';
    const s = p[scope];
    const padded = kind === 'marked' ? prepareText(text) : prepareText(bareForm(text));
    found = [...padded.matchAll(new RegExp(kind === 'marked' ? s.marked : s.bare, 'gu'))].map((m) =>
      m[1]!.replace(/ +/g, ' '),
    );
  }
  const out: { group: ActivityGroup; term: string }[] = [];
  const seen = new Set<string>();
  for (const f of found)
    for (const form of p.forms)
      if (form.k === kind && form.f === f && !seen.has(`${form.g}:${form.t}`)) {
        seen.add(`${form.g}:${form.t}`);
        out.push({ group: form.g, term: form.t });
      }
  return out;
}

let cached: ActivityPatterns | undefined;
/** The shipped dictionary's patterns (read once). */
export function defaultActivityPatterns(): ActivityPatterns {
  return (cached ??= activityPatterns(loadActivityTerms()));
}

/**
 * The DuckDB variables of the activity model (mart_entity_activity.sql).
 *
 * @example await setVariables(db, activityVariables());
 */
export function activityVariables(p: ActivityPatterns = defaultActivityPatterns()): Record<string, string> {
  return {
    re_activity_names_marked: p.names.marked,
    re_activity_names_bare: p.names.bare,
    re_activity_bank_marked: p.bank.marked,
    re_activity_bank_bare: p.bank.bare,
    re_activity_joined: p.joined,
    activity_forms: JSON.stringify(p.forms),
  };
}
