/**
 * Sizes as DuckDB writes them (`3GB`, `512 MiB`): the config's `memoryLimit`, and the limit DuckDB reports
 * (`duckdb_settings()`), which ingest reads to choose how many files to load at once.
 */
const sizeUnits: Record<string, number> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes of a DuckDB size such as `3GB` or `512 MiB`, or undefined when it is not one.
 *
 * @example sizeInBytes('1.5GB') // 1500000000
 */
export function sizeInBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.exec(text);
  return m ? Number(m[1]) * sizeUnits[m[2]!.toLowerCase()]! : undefined;
}
