/**
 * A dossier with its personal identifiers masked (`sangloc explain --mask-pii`, or `output.maskPii` in the config),
 * as the case exports mask them (`maskValue`): tax codes, national IDs, phones, accounts and e-mails keep a head
 * and a tail. Every text of the dossier is scrubbed, so a value quoted inside a record label (`COD sender 0912…`),
 * a link, a related party or a source row is masked too, and so is the seller's network drawn from them. Any
 * other run of 8 or more digits (a buyer's account, a waybill number) and any e-mail address is masked as well.
 * Names, entity ids, amounts and codes stay.
 */
import { maskValue, type PiiKind } from '../publish/mask.js';
import { maskCaseRow } from '../publish/mask.js';
import type { Dossier } from './dossier.js';

/** Keys whose text is never personal data (ids the engine made, source and rule names, column names). */
const keep = new Set([
  'entity_id',
  'entities',
  'run_id',
  'source',
  'code',
  'kind',
  'part',
  'class',
  'columns',
  'method',
]);

/**
 * @example maskDossier(d).identities[0].phone // '0912***678'
 */
export function maskDossier(d: Dossier): Dossier {
  const replacements = new Map<string, string>();
  const add = (kind: PiiKind, v: string | null | undefined) => {
    if (!v || v.trim().length < 4) return;
    replacements.set(v, maskValue(kind, v));
    if (kind === 'account') {
      const bare = v.slice(v.lastIndexOf(':') + 1).trim();
      if (bare.length >= 6) replacements.set(bare, maskValue('account', bare));
    }
  };
  for (const r of d.identities) {
    add('tax_id', r.tax_id);
    add('national_id', r.national_id);
    add('phone', r.phone);
    add('email', r.email);
    add('account', r.account);
  }
  const ids = d.identifiers;
  for (const v of ids.tax_ids) add('tax_id', v);
  for (const v of ids.national_ids) add('national_id', v);
  for (const v of ids.phones) add('phone', v);
  for (const v of ids.emails) add('email', v);
  for (const v of ids.accounts) add('account', v);
  add('tax_id', d.registry_candidate?.tax_id);
  for (const p of d.related) {
    if (p.kind.endsWith('phone')) add('phone', p.value);
    else if (p.kind.endsWith('email')) add('email', p.value);
    else if (p.kind.endsWith('account')) add('account', p.value);
  }
  // Longest first, so a phone inside a longer value is not half-replaced.
  const known = [...replacements].sort((a, b) => b[0].length - a[0].length);
  const scrub = (text: string): string => {
    let t = text;
    for (const [from, to] of known) if (t.includes(from)) t = t.split(from).join(to);
    return t
      .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, (m) => (m.includes('***') ? m : maskValue('email', m)))
      .replace(/(?<![\d*])\d{8,}(?![\d*])/g, (m) => maskValue('national_id', m));
  };
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return keep.has(key) ? v : scrub(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  const out = walk({ ...d, case: null }, '') as Dossier;
  out.case = d.case ? (walk(maskCaseRow(d.case), '') as Dossier['case']) : null;
  return out;
}
