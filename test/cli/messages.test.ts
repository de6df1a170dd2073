/**
 * What the analyst commands say when given the wrong thing (QA report items 8, 9, 10, 11): an ID or
 * phone typed where an entity id, run or period belongs is named by its kind and never repeated
 * (stderr ends up in logs); an --out into a missing folder is refused before the work; an outcomes
 * file is named as the person gave it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { identifierKind } from '../../engine/normalize/identifier-kind.js';
import type { CaseRow } from '../../engine/publish/case-row.js';
import { tempDir } from '../helpers.js';
import { cli, runSamples } from './helpers.js';

const root = tempDir('sangloc-messages-');
const ws = join(root, 'ws');
let runId = '';
let cases: CaseRow[] = [];

beforeAll(async () => {
  const r = await runSamples(ws);
  runId = r.runId;
  cases = JSON.parse(readFileSync(join(r.runDir, 'cases.json'), 'utf8')) as CaseRow[];
}, 180_000);

describe('identifierKind', () => {
  it.each([
    ['034180908307', 'a 12-digit national ID (CCCD) or personal tax code'],
    ['034 180 908 307', 'a 12-digit national ID (CCCD) or personal tax code'],
    ['0912345678', 'a phone number'],
    ['+84 912 345 678', 'a phone number'],
    ['0100109106', 'a 10-digit tax code'],
    ['0300588569', 'a 10-digit phone number or tax code'],
    ['0100109106-001', 'a branch tax code'],
    ['19036612345', 'an 11-digit number (an account or ID number)'],
    ['shop.abc@gmail.com', 'an e-mail address'],
  ])('%s is %s', (v, kind) => expect(identifierKind(v)).toBe(kind));

  it.each(['latest', '2026-Q3', '20261205-234857-a14551', 'E0000000000', '2025', 'cases.csv'])(
    '%s is no identifier',
    (v) => expect(identifierKind(v)).toBeNull(),
  );
});

describe('sangloc explain with something other than an entity id (QA item 8)', () => {
  it.each([
    { typed: '034180908307', kind: 'a 12-digit national ID' },
    { typed: '0987654321', kind: 'a phone number' },
    { typed: 'Nguyễn Văn An', kind: 'text' },
  ])('$kind: says what it looks like and where entity ids are, never the value, exit 2', async ({ typed, kind }) => {
    const r = await cli(['explain', typed, '--workspace', ws]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`the argument is ${kind}`);
    expect(r.err).toContain(`cases.csv of run ${runId}`);
    expect(r.err).toContain('national_ids');
    expect(r.err + r.out).not.toContain(typed);
    expect(r.err + r.out).not.toContain(typed.slice(-6));
  });

  it('finds an entity typed in lower case, and says which snapshot it searched for an unknown one (item 11)', async () => {
    const id = cases[0]!.entity_id;
    const lower = await cli(['explain', id.toLowerCase(), '--workspace', ws, '--rows', '1']);
    expect(lower.code, lower.err).toBe(0);
    expect(lower.out).toContain(`Hồ sơ ${id}`);
    const none = await cli(['explain', 'E0000000000', '--workspace', ws]);
    expect(none.code).toBe(1);
    expect(none.err).toContain(`no such entity in the snapshot of run ${runId}`);
    expect(none.err).not.toContain('warehouse');
  });
});

describe('other commands never echo an identifier typed by mistake (QA item 8)', () => {
  const national = '034180908307';
  it.each([
    { args: ['diff', national, 'latest', '--workspace', ws], code: 2, says: /run a 12-digit national ID/ },
    { args: ['stats', '--period', national, '--workspace', ws], code: 2, says: /period a 12-digit national ID/ },
    { args: ['stats', national, '--period', '2025', '--workspace', ws], code: 2, says: /Unexpected argument a 12/ },
    { args: [national], code: 2, says: /unknown command a 12-digit national ID/ },
    { args: ['diff', 'latest', 'latest', '--workspace', ws, '--limit', national], code: 2, says: /--limit must/ },
  ])('sangloc $args.0 … exits $code naming the kind', async ({ args, code, says }) => {
    const r = await cli(args);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(says);
    expect(r.err).toContain('not repeated here');
    expect(r.err + r.out).not.toContain(national);
  });
});

describe('--out into a folder that does not exist (QA item 9)', () => {
  const missing = join(root, 'no-such-folder', 'x.csv');
  it.each([
    { cmd: 'diff', args: () => ['diff', 'latest', 'latest', '--workspace', ws, '--out', missing] },
    { cmd: 'stats', args: () => ['stats', '--period', '2025', '--workspace', ws, '--out', missing] },
    { cmd: 'explain', args: () => ['explain', cases[0]!.entity_id, '--workspace', ws, '--out', missing] },
  ])('sangloc $cmd … exits 2 before doing the work, naming the folder', async ({ args }) => {
    const before = readFileSync(join(ws, 'audit.log'), 'utf8');
    const r = await cli(args());
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(`the folder ${join(root, 'no-such-folder')} does not exist`);
    expect(r.err).not.toContain('internal error');
    // Nothing shown, nothing recorded as shown.
    expect(r.out).toBe('');
    expect(readFileSync(join(ws, 'audit.log'), 'utf8')).toBe(before);
  });

  it('an --out that is a folder is refused the same way', async () => {
    const r = await cli(['stats', '--period', '2025', '--workspace', ws, '--out', root]);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toContain('is a folder; give a file name');
  });
});

describe('outcomes import names the file as given (QA item 9)', () => {
  it('an empty file: the error names it and its line, never the workspace tmp copy', async () => {
    const file = join(root, 'audits-empty.csv');
    writeFileSync(file, '');
    const r = await cli(['outcomes', 'import', file, '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`sangloc outcomes: ${file}:1: the file is empty`);
    expect(r.err).not.toContain(join(ws, 'tmp'));
    expect(r.err).not.toContain('outcomes_audits-empty.csv');
    expect(r.err).not.toContain('the other files still load');
    expect(existsSync(join(ws, 'tmp')) ? readdirSync(join(ws, 'tmp')) : []).toEqual([]);
  });
});

describe('outcomes naming no seller (QA item 10)', () => {
  it('are kept, counted and warned per row with the identifier kind, never the value', async () => {
    const known = cases.find((c) => c.tax_ids.length > 0)!.tax_ids[0]!;
    const file = join(root, 'audits-unmatched.csv');
    writeFileSync(
      file,
      [
        'subject_type,subject_id,period,result,assessed_revenue,assessed_tax,closed_on,selection',
        'national_id,079999999999,2025,undeclared,1000,10,2026-08-20,risk',
        'phone,0912 345 678,2025,undeclared,1000,10,2026-08-20,risk',
        `tax_id,${known},2025,compliant,,,2026-08-20,random`,
      ].join('\n') + '\n',
    );
    const r = await cli(['outcomes', 'import', file, '--workspace', ws, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`${file}: 3 row(s) read, 3 loaded, 0 rejected, 2 naming no seller`);
    expect(r.out).toContain('warning: audits-unmatched.csv: 2 loaded row(s) name no seller entity');
    expect(r.out).toContain('line 2 (subject_id): no seller entity in the warehouse has this national ID');
    expect(r.out).toContain('line 3 (subject_id): no seller entity in the warehouse has this phone number');
    expect(r.out).not.toContain('line 4 (subject_id)');
    for (const v of ['079999999999', '0912 345 678', '0912345678', known]) expect(r.out + r.err).not.toContain(v);
    const audit = readFileSync(join(ws, 'audit.log'), 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(audit).rows).toMatchObject({ rows_loaded: 3, rows_reaching_no_seller: 2 });
  });
});

describe('cheap ones of QA item 11', () => {
  it.each(['2025.0', '2e3', '0x7e9', ' 2025'])('--tax-year %s is not an integer as typed: exit 2', async (y) => {
    const r = await cli([
      'run',
      '--input',
      join(root, 'never'),
      '--workspace',
      join(root, 'ws-never'),
      '--tax-year',
      y,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--tax-year must be an integer between 2000 and 2100');
    expect(existsSync(join(root, 'ws-never'))).toBe(false);
  });

  it('run --input of a folder that does not exist fails before a workspace or failed/ folder is made', async () => {
    const target = join(root, 'ws-no-input');
    const r = await cli(['run', '--input', join(root, 'no-such-delivery'), '--workspace', target, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(root, 'no-such-delivery')}: no such folder; check the path given to --input`);
    expect(existsSync(target)).toBe(false);
  });
});
