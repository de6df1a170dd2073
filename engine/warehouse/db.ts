import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

/** Values as sangloc code sees them: bigint is converted at this boundary. */
export type Scalar = string | number | boolean | null;
export type Row = Record<string, Scalar>;
/** A value bound to a query or appended to a table (bigint for BIGINT columns). */
export type SqlValue = DuckDBValue;
export type Params = Record<string, SqlValue> | SqlValue[];

/** DuckDB's vector size: the most rows one data chunk holds. */
const chunkRows = 2048;

export interface DbOptions {
  /** DuckDB memory_limit, e.g. '3GB'. */
  memoryLimit?: string;
  /** DuckDB worker threads. */
  threads?: number;
  /** Folder DuckDB may spill to. */
  tempDirectory?: string;
  /** Open without the right to write (DuckDB access_mode READ_ONLY): for looking, never changing. */
  readOnly?: boolean;
  /**
   * false: checkpoints never compact row groups (DuckDB `max_vacuum_tasks` 0). For the nightly run:
   * appending a file's rows after another's made each checkpoint rewrite them (engine/warehouse/open.ts).
   */
  compactRowGroups?: boolean;
  /**
   * true: DuckDB's allocator (jemalloc) returns freed memory to the system on a thread of its own
   * (`allocator_background_threads`), not only when a task ends above `allocator_flush_threshold`.
   * For the nightly run: what the big models freed otherwise stayed resident beside the next one's
   * (engine/warehouse/open.ts).
   */
  backgroundAllocator?: boolean;
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
    private readonly conn: DuckDBConnection,
    /** A sibling connection (`connection()`): closing it leaves the database open. */
    private readonly sibling = false,
  ) {}

  static async open(path: string, options: DbOptions = {}): Promise<Db> {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    if (options.tempDirectory) config.temp_directory = options.tempDirectory;
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    if (options.compactRowGroups === false) config.max_vacuum_tasks = '0';
    if (options.backgroundAllocator) config.allocator_background_threads = 'true';
    const instance = await DuckDBInstance.create(path, config);
    return new Db(path, instance, await Db.connect(instance));
  }

  /** A connection of `instance` with the session settings every one needs (dates are Vietnam's). */
  private static async connect(instance: DuckDBInstance): Promise<DuckDBConnection> {
    const conn = await instance.connect();
    await conn.run(`set TimeZone = 'Asia/Ho_Chi_Minh'`);
    return conn;
  }

  /**
   * Another connection to the same database, for work that runs beside this connection's (ingest
   * loads two files at once). Its temporary tables are its own; `close()` closes only it.
   *
   * @example const lane = await db.connection(); try { … } finally { lane.close(); }
   */
  async connection(): Promise<Db> {
    return new Db(this.path, this.instance, await Db.connect(this.instance), true);
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

  /**
   * Appends rows to an existing table through DuckDB's appender, a data chunk of 2,048 rows at a
   * time; each row holds one value per column, in the table's column order. Returns the rows appended.
   *
   * @example
   *   await db.exec('create table pairs (a bigint, b bigint, reason varchar)');
   *   await db.appendRows('pairs', [[1n, 2n, 'bridge'], [3n, 4n, null]]); // 2
   */
  async appendRows(table: string, rows: Iterable<readonly SqlValue[]>): Promise<number> {
    const appender = await this.appender(table);
    try {
      for (const row of rows) appender.append(row);
    } catch (err) {
      appender.abandon();
      throw err;
    }
    return appender.close();
  }

  /**
   * An appender for rows that arrive one by one (a parser's callback); `appendRows` when they can be
   * iterated. Call `close()` at the end (it flushes and returns the rows appended), `abandon()` on failure.
   *
   * @example
   *   const app = await db.appender('t');
   *   parser.on('data', (row) => app.append([row.a, row.b]));
   *   parser.on('end', () => app.close());
   */
  async appender(table: string): Promise<TableAppender> {
    return new TableAppender(table, await this.conn.createAppender(table));
  }

  /**
   * Runs `fn` with a list to register the work tables it creates in, then drops them (last created
   * first), also when `fn` fails; a drop failing then does not hide `fn`'s own error. `keep` leaves
   * them for inspection.
   *
   * @example
   *   await db.withWorkTables(async (work) => {
   *     await db.exec('create table w_pairs as select …');
   *     work.push('w_pairs');
   *   });
   */
  async withWorkTables<T>(fn: (work: string[]) => Promise<T>, options: { keep?: boolean } = {}): Promise<T> {
    const work: string[] = [];
    let result: T;
    try {
      result = await fn(work);
    } catch (err) {
      if (!options.keep) await this.dropTables(work).catch(() => undefined);
      throw err;
    }
    if (!options.keep) await this.dropTables(work);
    return result;
  }

  /** Drops tables (temporary or not) if they exist, in reverse order of the list; tries every one, then throws the
   * first failure. */
  async dropTables(names: readonly string[]): Promise<void> {
    let failure: unknown;
    for (const name of [...names].reverse()) {
      try {
        await this.exec(`drop table if exists ${ident(name)}`);
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }

  async tableExists(name: string): Promise<boolean> {
    const n = await this.value<number>(`select count(*)::int from information_schema.tables where table_name = $name`, {
      name,
    });
    return n > 0;
  }

  close(): void {
    this.conn.closeSync();
    if (!this.sibling) this.instance.closeSync();
  }
}

/** Rows into one table, buffered in data chunks of 2,048 rows (see `Db.appender`). */
export class TableAppender {
  private readonly types: DuckDBType[];
  private columns: SqlValue[][];
  private filled = 0;
  private total = 0;
  private done = false;

  constructor(
    readonly table: string,
    private readonly raw: DuckDBAppender,
  ) {
    this.types = Array.from({ length: raw.columnCount }, (_, c) => raw.columnType(c));
    this.columns = this.types.map(() => new Array<SqlValue>(chunkRows));
  }

  /** Adds one row: one value per column, in the table's column order. */
  append(row: readonly SqlValue[]): void {
    if (this.done) throw new Error(`appender of ${this.table}: already closed`);
    if (row.length !== this.types.length) {
      throw new Error(`appendRows: ${this.table} has ${this.types.length} columns, a row has ${row.length} values`);
    }
    for (let c = 0; c < row.length; c++) this.columns[c]![this.filled] = row[c]!;
    if (++this.filled === chunkRows) this.flushChunk();
  }

  /** Appends what is buffered and closes; a constraint the rows break fails here. Returns the rows appended. */
  close(): number {
    if (this.done) throw new Error(`appender of ${this.table}: already closed`);
    try {
      if (this.filled > 0) this.flushChunk();
    } catch (err) {
      this.abandon();
      throw err;
    }
    this.done = true;
    this.raw.closeSync();
    return this.total;
  }

  /** Closes after a failure, without raising a second error over the first. */
  abandon(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.raw.closeSync();
    } catch {
      /* the caller is already reporting an error */
    }
  }

  private flushChunk(): void {
    const n = this.filled;
    const chunk = DuckDBDataChunk.create(this.types, n);
    chunk.setColumns(n === chunkRows ? this.columns : this.columns.map((c) => c.slice(0, n)));
    this.raw.appendDataChunk(chunk);
    this.total += n;
    this.filled = 0;
    this.columns = this.types.map(() => new Array<SqlValue>(chunkRows));
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
