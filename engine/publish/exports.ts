/**
 * All four case files of a run folder in one call: cases.csv, cases.xlsx, cases.parquet, cases.json.
 */
import { join } from 'node:path';
import type { CaseRow, ReasonInfo } from './case-row.js';
import { writeCasesCsv } from './csv.js';
import { writeCasesJson } from './json.js';
import { writeCasesParquet } from './parquet.js';
import { writeCasesXlsx, type Language } from './xlsx.js';

export interface CaseExportOptions {
  maskPii?: boolean;
  /** Language first on the xlsx explanation sheet. Default 'vi'. */
  language?: Language;
  /** Reason codes the scorer used (explained in the xlsx). */
  reasons?: readonly ReasonInfo[];
  /** Most cases in cases.xlsx (config `output.xlsxMaxRows`); csv, parquet and json always hold all. Default 20,000;
   * 0 = all. */
  xlsxMaxRows?: number;
}

export const caseFileNames = ['cases.csv', 'cases.xlsx', 'cases.parquet', 'cases.json'] as const;

/**
 * Writes cases.{csv,xlsx,parquet,json} into `dir` (which must exist); returns the paths written.
 * All four are attempted; the first failure is rethrown once they have all finished.
 *
 * @example await writeCaseExports('WS/runs/r1', rows, { maskPii: false, reasons });
 */
export async function writeCaseExports(
  dir: string,
  rows: readonly CaseRow[],
  opts: CaseExportOptions = {},
): Promise<string[]> {
  const [csv, xlsx, parquet, json] = caseFileNames.map((n) => join(dir, n)) as [string, string, string, string];
  const write = { maskPii: opts.maskPii ?? false };
  const results = await Promise.allSettled([
    writeCasesCsv(csv, rows, write),
    writeCasesXlsx(xlsx, rows, { ...write, language: opts.language, reasons: opts.reasons, maxRows: opts.xlsxMaxRows }),
    writeCasesParquet(parquet, rows, write),
    writeCasesJson(json, rows, write),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return [csv, xlsx, parquet, json];
}
