import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

/** Values as sangloc code sees them: bigint is converted at this boundary. */
export type Scalar = string | number | boolean | null;
export type Row = Record<string, Scalar>;
export type Params = Record<string, DuckDBValue> | DuckDBValue[];

export interface DbOptions {
  /** DuckDB memory_limit, e.g. '3GB'. */
  memoryLimit?: string;
  /** DuckDB worker threads. */
  threads?: number;
  /** Folder DuckDB may spill to. */
  tempDirectory?: string;
  /** Open without the right to write (DuckDB access_mode READ_ONLY): for looking, never changing. */
  readOnly?: boolean;
}

/**
 * The only door to DuckDB. Only the main thread talks to it; every stage takes a `Db` so a test
 * can pass an in-memory one (`openDb(':memory:')`).
 *
 * @example
 *   const db = await openDb(':memory:');
 *   const rows = await db.all('select 42::bigint as n'); // [{ n: 42 }]
 */
export class Db {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  static async open(path: string, options: DbOptions = {}): Promise<Db> {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    if (options.tempDirectory) config.temp_directory = options.tempDirectory;
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    const instance = await DuckDBInstance.create(path, config);
    const conn = await instance.connect();
    await conn.run(`set TimeZone = 'Asia/Ho_Chi_Minh'`);
    return new Db(path, instance, conn);
  }

  /** Runs one or more statements; returns nothing. */
  async exec(sql: string, params?: Params): Promise<void> {
    if (params) await this.conn.run(sql, params as never);
    else await this.conn.run(sql);
  }

  /** Runs a query and returns its rows as plain objects (bigint → number, dates → ISO text). */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = params ? await this.conn.runAndReadAll(sql, params as never) : await this.conn.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((r) => plainRow(r)) as T[];
  }

  /** First row or undefined. */
  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Single value of the first row's first column. */
  async value<T extends Scalar = Scalar>(sql: string, params?: Params): Promise<T> {
    const row = await this.one(sql, params);
    return (row ? Object.values(row)[0] : null) as T;
  }

  /** Column-wise numeric read straight into Float64Arrays (nulls → NaN). */
  async numericColumns(sql: string): Promise<{ names: string[]; columns: Float64Array[]; rowCount: number }> {
    const result = await this.conn.run(sql);
    const names = result.columnNames();
    const chunks = await result.fetchAllChunks();
    const rowCount = chunks.reduce((n, c) => n + c.rowCount, 0);
    const columns = names.map(() => new Float64Array(rowCount));
    let offset = 0;
    for (const chunk of chunks) {
      for (let c = 0; c < names.length; c++) {
        const values = chunk.getColumnVector(c);
        const out = columns[c]!;
        for (let i = 0; i < chunk.rowCount; i++) {
          const v = values.getItem(i);
          out[offset + i] = v === null ? NaN : Number(v);
        }
      }
      offset += chunk.rowCount;
    }
    return { names, columns, rowCount };
  }

  async tableExists(name: string): Promise<boolean> {
    const n = await this.value<number>(
      `select count(*)::int from information_schema.tables where table_name = $name`,
      { name },
    );
    return n > 0;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

export const openDb = (path: string, options?: DbOptions) => Db.open(path, options);

/** Quotes an SQL identifier (table or column name). The only way names enter generated SQL. */
export function ident(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Quotes a string literal, for the rare places DuckDB cannot bind (file paths in read_csv). */
export function literal(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'";
}

function plainValue(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return JSON.stringify(v.map(plainValue));
  return String(v);
}

function plainRow(r: Record<string, unknown>): Row {
  const out: Row = {};
  for (const k in r) out[k] = plainValue(r[k]);
  return out;
}
