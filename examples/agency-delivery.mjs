// An agency-shaped delivery from data-samples, for README "Your first real delivery":
//   node examples/agency-delivery.mjs data-samples /tmp/agency-delivery
// taxpayers.csv as Excel's CSV in a Vietnamese Windows locale (Windows-1258, ';', a sep=; line);
// bank_transactions_vcb.csv as a bank's statement export (tab-separated, 1.250.000, 19/01/2025 08:00);
// cod_shipments_ghn.csv ';'-separated with day-first dates and one amount typed as "1tr2";
// every other file as delivered.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { parse } = require('csv-parse/sync');
const iconv = require('iconv-lite');
const [src, out] = process.argv.slice(2);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const f of readdirSync(src).filter((n) => n.endsWith('.csv'))) copyFileSync(join(src, f), join(out, f));
const rows = (f) => parse(readFileSync(join(src, f), 'utf8'));
const ser = (recs, d) =>
  recs
    .map((r) =>
      r.map((v) => (v.includes(d) || v.includes('"') || v.includes('\n') ? `"${v.replace(/"/g, '""')}"` : v)).join(d),
    )
    .join('\r\n') + '\r\n';
const dots = (v) => (/^\d+$/.test(v) ? v.replace(/\B(?=(\d{3})+(?!\d))/g, '.') : v);
const dmy = (v) =>
  v.replace(
    /^(\d{4})-(\d{2})-(\d{2})(T(\d{2}):(\d{2}).*)?$/,
    (_, y, m, d, t, hh, mm) => `${d}/${m}/${y}${t ? ` ${hh}:${mm}` : ''}`,
  );
// Windows-1258 writes some tone marks as combining characters after the letter
const ok = (s) => iconv.decode(iconv.encode(s, 'windows-1258'), 'windows-1258') === s;
const w1258 = (t) =>
  [...t]
    .map((c) => {
      if (ok(c)) return c;
      const d = [...c.normalize('NFD')];
      for (let k = 1; k < d.length; k++) {
        const a = (d[0] + d[k]).normalize('NFC') + d.filter((_, j) => j && j !== k).join('');
        if ([...a].every(ok)) return a;
      }
      return d.join('');
    })
    .join('');
writeFileSync(
  join(out, 'taxpayers.csv'),
  iconv.encode(w1258('sep=;\r\n' + ser(rows('taxpayers.csv'), ';')), 'windows-1258'),
);
const bank = rows('bank_transactions_vcb.csv');
const bi = bank[0].indexOf('booked_at'),
  ai = bank[0].indexOf('amount');
writeFileSync(
  join(out, 'bank_transactions_vcb.csv'),
  ser(
    bank.map((r, i) => (i === 0 ? r : r.map((v, j) => (j === bi ? dmy(v) : j === ai ? dots(v) : v)))),
    '\t',
  ),
);
const cod = rows('cod_shipments_ghn.csv');
const pi = cod[0].indexOf('picked_up_on');
const ci = cod[0].indexOf('cod_amount');
cod[3][ci] = '1tr2'; // "1 triệu 2": a clerk's shorthand the loader must reject, not guess
writeFileSync(
  join(out, 'cod_shipments_ghn.csv'),
  ser(
    cod.map((r, i) => (i === 0 ? r : r.map((v, j) => (j === pi ? dmy(v) : v)))),
    ';',
  ),
);
