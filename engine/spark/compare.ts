/**
 * `sangloc compare-engines`: the same delivery through both engines, the published files compared
 * byte for byte. A difference is reported by file, line and column name, never by value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files the two engines must publish identically. */
export const comparedFiles = ['cases.csv', 'members.csv', 'rejects.csv'] as const;

export interface FileComparison {
  file: string;
  identical: boolean;
  lines: [number, number];
  /** First differing line (1-based) and the columns that differ on it (by header name). */
  firstDifference?: { line: number; columns: string[] };
}

/** Splits one CSV line into fields (quotes honoured; enough to name the differing columns). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Compares one published file of two run folders. */
export function compareRunFile(dirA: string, dirB: string, file: string): FileComparison {
  const a = readFileSync(join(dirA, file));
  const b = readFileSync(join(dirB, file));
  const la = a.toString('utf8').split('\n');
  const lb = b.toString('utf8').split('\n');
  const result: FileComparison = { file, identical: a.equals(b), lines: [la.length - 1, lb.length - 1] };
  if (result.identical) return result;
  const header = fields(la[0]!.replace(/^\uFEFF/, ''));
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] === lb[i]) continue;
    const fa = fields(la[i] ?? '');
    const fb = fields(lb[i] ?? '');
    const columns = header.filter((_, j) => fa[j] !== fb[j]);
    result.firstDifference = { line: i + 1, columns: columns.length ? columns : ['(line missing)'] };
    break;
  }
  return result;
}
