import { readFileSync } from 'node:fs';

/** Parses RFC 4180 CSV text into rows of fields; lines without quotes take a fast path. */
export function parseCsv(text: string): string[][] {
  if (!text.includes('"'))
    return text
      .split('\n')
      .filter((l, i, all) => l !== '' || i < all.length - 1)
      .map((l) => l.replace(/\r$/, '').split(','));
  const rows: string[][] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (line.includes('"')) {
      // A quoted field may hold line breaks: parse from here to the end of the record.
      const [row, next] = parseQuoted(text, start);
      rows.push(row);
      start = next;
      continue;
    }
    rows.push(line.replace(/\r$/, '').split(','));
    start = end + 1;
  }
  return rows;
}

/** Parses one record that contains quotes, starting at `from`; returns it and the next record's offset. */
function parseQuoted(text: string, from: number): [string[], number] {
  const row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      return [row, i + 1];
    } else if (c !== '\r') field += c;
  }
  row.push(field);
  return [row, text.length];
}

/** Reads a CSV file into header + records keyed by column name. */
export function readCsv(path: string): { header: string[]; records: Record<string, string>[] } {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  return { header: header!, records: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? '']))) };
}
