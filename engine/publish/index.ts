/** The publish area's public surface: case-list writers, masking and the analyst's report. */
export * from './case-row.js';
export { maskValue, maskCaseRow, piiColumns, type PiiKind } from './mask.js';
export { neutraliseFormula, type CaseWriteOptions } from './cells.js';
export { writeCasesCsv } from './csv.js';
export { writeCasesXlsx, defaultXlsxMaxRows, truncationNote, type XlsxOptions, type Language } from './xlsx.js';
export { writeCasesParquet } from './parquet.js';
export { writeCasesJson } from './json.js';
export { writeCaseExports, caseFileNames, type CaseExportOptions } from './exports.js';
export * from './report-model.js';
export { writeReportHtml, renderReportHtml, type ReportOptions } from './report.js';
