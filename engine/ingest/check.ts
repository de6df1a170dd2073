import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../log.js';
import { openDb } from '../warehouse/db.js';
import { describeDialect } from './dialect.js';
import { loadDelivery, type FileLoad, type FileReading } from './load.js';
import type { IngestConfig, SourceIngestConfig } from './options.js';
import { topRejects, type FileRejects } from './report.js';
import { sources, type SourceName } from './sources.js';
import { fmt } from '../format.js';

/** What `sangloc check` found for one file. Counts, names and reasons only: never a value. */
export interface CheckedFile {
  file: string;
  source: SourceName;
  status: FileLoad['status'];
  read: number;
  loaded: number;
  rejected: number;
  message?: string;
  sheet?: string;
  headerRow?: number;
  reading?: FileReading;
  top: FileRejects['top'];
  /**
   * `loads`: every row would load; `partial`: some rows would be rejected; `refused`: the file would
   * not load, or none of its rows would; `duplicate`: same content as another file of the delivery.
   */
  verdict: 'loads' | 'partial' | 'refused' | 'duplicate';
  /** Settings this file needs that its source's config lacks. */
  fix: Partial<SourceIngestConfig>;
  /** The same file checked again with the source's config plus every fix of the source. */
  withFix?: {
    status: FileLoad['status'];
    read: number;
    loaded: number;
    rejected: number;
    message?: string;
    top: FileRejects['top'];
  };
}

export interface CheckReport {
  input: string;
  files: CheckedFile[];
  /** Files whose names match no source. */
  ignored: string[];
  /** Per source with a fix: the source's whole `ingest.sources.<source>` object to paste (config + fixes). */
  snippet: Partial<Record<SourceName, SourceIngestConfig>>;
  /** Sources scoring needs that this delivery has no file of (fine when the workspace loaded them before). */
  absent: string[];
  /** True when no file would be refused (exit 0). */
  ok: boolean;
}

/**
 * A dry run of the ingest: loads the delivery through the real loader (same reading, validation and
 * rejects as `sangloc run`) into a throw-away DuckDB in a temp folder, removed afterwards. No
 * workspace is touched. Derives the settings that fix what a setting can fix (encoding, delimiter,
 * quoting, date and amount formats, a column under another name) and checks the files again with
 * them, to show what they change.
 *
 * @example const report = await checkDelivery('incoming/2026-11', loadConfig('sangloc.json').ingest);
 * formatCheck(report)
 */
export async function checkDelivery(
  input: string,
  ingest: IngestConfig,
  options: { threads?: number } = {},
): Promise<CheckReport> {
  const tmp = mkdtempSync(join(tmpdir(), 'sangloc-check-'));
  try {
    const first = await dryLoad(input, ingest, tmp, 'first', options.threads);
    // Fixes found with earlier fixes applied (a date format first, then the amounts behind it) join
    // the snippet; a few passes at most, each re-checking only the sources the snippet touches.
    const fixes: Partial<Record<SourceName, Partial<SourceIngestConfig>>> = {};
    const adopt = (files: CheckedFile[]): boolean => {
      let added = false;
      for (const f of files) {
        for (const [key, value] of Object.entries(f.fix) as [keyof SourceIngestConfig, unknown][]) {
          const merged = (fixes[f.source] ??= {});
          const next = key === 'rename' ? { ...merged.rename, ...(value as Record<string, string>) } : value;
          if (JSON.stringify(merged[key]) === JSON.stringify(next)) continue;
          (merged as Record<string, unknown>)[key] = next;
          added = true;
          const shown = first.files.find((x) => x.file === f.file);
          if (shown && shown !== f) (shown.fix as Record<string, unknown>)[key] = next;
        }
      }
      return added;
    };
    const snippet: CheckReport['snippet'] = {};
    let again: CheckedFile[] = [];
    for (let pass = 1, added = adopt(first.files); added && pass <= 3; pass++) {
      for (const [source, fix] of Object.entries(fixes) as [SourceName, SourceIngestConfig][]) {
        const configured = ingest.sources[source] ?? {};
        snippet[source] = {
          ...configured,
          ...fix,
          ...(fix.rename || configured.rename ? { rename: { ...configured.rename, ...fix.rename } } : {}),
        };
      }
      again = (
        await dryLoad(
          input,
          { sources: { ...ingest.sources, ...snippet } },
          tmp,
          `fixed-${pass}`,
          options.threads,
          (s) => s in snippet,
        )
      ).files;
      added = adopt(again);
    }
    for (const f of first.files) {
      const g = again.find((x) => x.file === f.file);
      if (g && f.source in snippet)
        f.withFix = {
          status: g.status,
          read: g.read,
          loaded: g.loaded,
          rejected: g.rejected,
          ...(g.message ? { message: g.message } : {}),
          top: g.top,
        };
    }
    const present = new Set(first.files.map((f) => f.source));
    const absent = [['taxpayers'], ['declarations'], ['platform_sellers', 'cod_shipments', 'bank_transactions']]
      .filter((group) => !group.some((s) => present.has(s as SourceName)))
      .map((group) => group.join(' / '));
    return {
      input,
      files: first.files,
      ignored: first.ignored,
      snippet,
      absent,
      ok: first.files.every((f) => f.verdict !== 'refused'),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function dryLoad(
  input: string,
  ingest: IngestConfig,
  tmp: string,
  name: string,
  threads: number | undefined,
  only?: (source: SourceName) => boolean,
): Promise<{ files: CheckedFile[]; ignored: string[] }> {
  const db = await openDb(join(tmp, `${name}.duckdb`), { threads, tempDirectory: tmp });
  try {
    const load = await loadDelivery(db, input, {
      runId: 'check',
      log: silentLogger(),
      ingest,
      tmpDir: tmp,
      ...(only && { select: (f) => only(f.source) }),
    });
    const tops = await topRejects(db, 'check', load.files, 3, 5);
    const files: CheckedFile[] = [];
    for (const f of load.files) {
      const fix: Partial<SourceIngestConfig> = { ...f.reading?.fix };
      if (f.reading) Object.assign(fix, await formatFixes(db, f, ingest.sources[f.source]));
      const verdict =
        f.status === 'skipped'
          ? 'duplicate'
          : f.status === 'failed' || (f.rowsRead > 0 && f.rowsLoaded === 0)
            ? 'refused'
            : f.rowsRejected > 0
              ? 'partial'
              : 'loads';
      files.push({
        file: f.file,
        source: f.source,
        status: f.status,
        read: f.rowsRead,
        loaded: f.rowsLoaded,
        rejected: f.rowsRejected,
        ...(f.message !== undefined && { message: f.message }),
        ...(f.sheet !== undefined && { sheet: f.sheet, headerRow: f.headerRow }),
        ...(f.reading && { reading: f.reading }),
        top: tops.find((t) => t.file === f.file && f.status !== 'skipped')?.top ?? [],
        verdict,
        fix,
      });
    }
    return { files, ignored: load.ignored };
  } finally {
    db.close();
  }
}

/** Date forms agencies write, day first before month first (Vietnamese usage). */
const dateForms = ['%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y', '%Y/%m/%d', '%m/%d/%Y'] as const;

function dateRegex(form: string, withTime: boolean): RegExp {
  const body = form
    .replace(/[./-]/g, (c) => `\\${c}`)
    .replace('%d', '(?<d>\\d{1,2})')
    .replace('%m', '(?<m>\\d{1,2})')
    .replace('%Y', '\\d{4}');
  return new RegExp(`^${body}${withTime ? '( \\d{1,2}:\\d{2}(:\\d{2})?)?' : ''}$`);
}

const fitsForm = (v: string, re: RegExp) => {
  const m = re.exec(v.trim());
  return (
    !!m &&
    Number(m.groups!.d) >= 1 &&
    Number(m.groups!.d) <= 31 &&
    Number(m.groups!.m) >= 1 &&
    Number(m.groups!.m) <= 12
  );
};

/**
 * Settings a file's rejected values point to (read from the throw-away warehouse, never shown): the
 * date format when dates or timestamps are written like `22/11/2026`, the digit grouping when
 * amounts are written like `1.250`, and a `rename` for a required column found under a near name.
 */
async function formatFixes(
  db: Awaited<ReturnType<typeof openDb>>,
  f: FileLoad,
  configured: SourceIngestConfig | undefined,
): Promise<Partial<SourceIngestConfig>> {
  const fix: Partial<SourceIngestConfig> = {};
  const spec = sources[f.source];
  const typeOf = new Map(spec.columns.map((c) => [c.name, c.type]));
  const label = new Map((f.reading?.mapping ?? []).map((m) => [m.fileColumn, m.contract]));
  const bad = await db.all<{ column: string; value: string }>(
    `select "column", value from rejects where file_id = $fid and run_id = 'check' and value is not null
       and (reason like 'not a date%' or reason like 'not an ISO 8601%' or reason like 'not a whole VND%') limit 500`,
    { fid: f.fileId ?? -1 },
  );
  const byType = (t: string) =>
    bad.filter((b) => typeOf.get(label.get(b.column) ?? b.column) === t).map((b) => b.value);
  const dates = byType('date');
  const stamps = byType('timestamp');
  if (!configured?.dateFormat && (dates.length || stamps.length)) {
    const form = dateForms.find((d) => {
      const plain = dateRegex(d, false);
      const timed = dateRegex(d, true);
      return dates.every((v) => fitsForm(v, plain)) && stamps.every((v) => fitsForm(v, timed));
    });
    if (form) fix.dateFormat = form;
  }
  const amounts = byType('vnd');
  if (
    amounts.length &&
    configured?.thousands === undefined &&
    configured?.decimal === undefined &&
    !f.reading?.fix.thousands
  ) {
    if (amounts.every((v) => /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(v.trim())))
      Object.assign(fix, { thousands: '.', decimal: ',' });
    else if (amounts.every((v) => /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(v.trim())))
      Object.assign(fix, { thousands: ',', decimal: '.' });
  }
  const missing = new Set(f.reading?.missingRequired ?? []);
  for (const s of f.reading?.suggestions ?? []) {
    if (missing.has(s.didYouMean)) fix.rename = { ...fix.rename, [s.fileColumn]: s.didYouMean };
  }
  return fix;
}

const n = (x: number) => fmt().int(x);
const reasonLine = (t: FileRejects['top'][number]) =>
  `${n(t.count)} × ${t.column ? `${t.column}: ` : ''}${t.reason} ` +
  `(line${t.lines.length > 1 ? 's' : ''} ${t.lines.join(', ')}${t.count > t.lines.length ? ', …' : ''})`;

/**
 * The report as people read it: one block per file, the config snippet, one summary line.
 *
 * @example process.stdout.write(formatCheck(await checkDelivery(dir, config.ingest)).join('\n') + '\n')
 */
export function formatCheck(r: CheckReport): string[] {
  const out: string[] = [];
  const verdicts = {
    loads: 'loads',
    partial: 'loads with rejects',
    refused: 'REFUSED',
    duplicate: 'skipped (same content as another file of the delivery)',
  };
  for (const f of r.files) {
    out.push(`${f.file} → ${f.source}: ${verdicts[f.verdict]}`);
    const rd = f.reading;
    if (f.sheet !== undefined) out.push(`  sheet:    "${f.sheet}", header on row ${f.headerRow}`);
    if (rd?.encoding || rd?.dialect)
      out.push(`  read as:  ${[rd.encoding, rd.dialect && describeDialect(rd.dialect)].filter(Boolean).join(', ')}`);
    if (rd?.amounts)
      out.push(`  amounts:  thousands '${rd.amounts.thousands}', decimal '${rd.amounts.decimal}' (${rd.amounts.how})`);
    if (rd?.mapping) {
      out.push(
        `  columns:  ` +
          (rd.mapping
            .map((m) =>
              m.fileColumn === m.contract
                ? m.contract
                : `${m.contract} ← "${m.fileColumn}"${m.how === 'exact' ? '' : ` (${m.how})`}`,
            )
            .join(', ') || 'none of the contract'),
      );
    }
    if (rd?.missingRequired?.length) out.push(`  missing:  ${rd.missingRequired.join(', ')} (required)`);
    if (rd?.extraColumns?.length)
      out.push(`  ignored:  ${rd.extraColumns.map((c) => `"${c}"`).join(', ')} (not in the contract)`);
    for (const s of rd?.suggestions ?? []) out.push(`  did you mean: "${s.fileColumn}" → ${s.didYouMean}?`);
    if (f.status === 'failed') out.push(`  refused:  ${f.message}`);
    else if (f.status !== 'skipped')
      out.push(`  rows:     ${n(f.read)} read → ${n(f.loaded)} would load, ${n(f.rejected)} rejected`);
    for (const [k, t] of f.top.entries()) out.push(`  ${k === 0 ? 'rejects: ' : '         '} ${reasonLine(t)}`);
    for (const h of rd?.hints ?? []) out.push(`  note:     ${h}`);
    const w = f.withFix;
    const changed = w && (w.status !== f.status || w.loaded !== f.loaded || w.rejected !== f.rejected);
    if (Object.keys(f.fix).length) out.push(`  fix:      ingest.sources.${f.source} ${JSON.stringify(f.fix)}`);
    if (Object.keys(f.fix).length || changed) {
      // A source's snippet reads all its files: one that needed nothing is shown when the snippet changes it.
      if (w) {
        out.push(
          w.status === 'failed'
            ? `  with it:  still refused — ${w.message}`
            : `  ${Object.keys(f.fix).length ? 'with it: ' : 'snippet: '} ${n(w.read)} read → ${n(w.loaded)} ` +
                `would load, ${n(w.rejected)} rejected${w.top[0] ? `; top: ${reasonLine(w.top[0])}` : ''}`,
        );
      }
    }
    out.push('');
  }
  for (const name of r.ignored) out.push(`ignored ${name}: its name matches no source of the contract`, '');
  for (const a of r.absent)
    out.push(`note: no ${a} file in this delivery; a run needs its rows loaded (now or by an earlier run) to score`);
  if (r.absent.length) out.push('');
  if (Object.keys(r.snippet).length) {
    out.push(
      'config snippet (paste into the config file given to --config; it keeps what the config already says for ' +
        'these sources):',
    );
    out.push(...JSON.stringify({ ingest: { sources: r.snippet } }, null, 2).split('\n'), '');
  }
  const count = (v: CheckedFile['verdict']) => r.files.filter((f) => f.verdict === v).length;
  out.push(
    `${r.files.length} file(s): ${count('loads')} load fully, ${count('partial')} load with ` +
      `rejects, ${count('refused')} refused` +
      (count('duplicate') ? `, ${count('duplicate')} duplicate(s)` : '') +
      (r.ok ? '' : ' — fix the refused files (the snippet above fixes what a setting can) and check again'),
  );
  return out;
}
