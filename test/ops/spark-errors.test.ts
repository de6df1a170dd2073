/**
 * The errors of `--engine spark` that need no Spark: not installed (names the setup command),
 * a master that does not answer (fails within seconds), a master URL that is not one.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkMaster, findSpark, SparkNotInstalledError, SparkUnreachableError } from '../../engine/spark/submit.js';
import { tempDir } from '../helpers.js';

describe('--engine spark errors that teach', () => {
  it('Spark not installed: names npm run setup:spark', () => {
    const root = tempDir('sangloc-nospark-');
    expect(() => findSpark(root)).toThrow(SparkNotInstalledError);
    expect(() => findSpark(root)).toThrow(/run `npm run setup:spark`/);
  });

  it('a master nobody listens on: unreachable within seconds, nothing published', async () => {
    const server = createServer();
    const port = await new Promise<number>((r) =>
      server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)),
    );
    await new Promise((r) => server.close(r));
    const started = Date.now();
    await expect(checkMaster(`spark://127.0.0.1:${port}`)).rejects.toThrow(SparkUnreachableError);
    await expect(checkMaster(`spark://127.0.0.1:${port}`)).rejects.toThrow(
      /unreachable \(ECONNREFUSED\).*nothing was published/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a master that accepts: no error; local masters need no check; nonsense is refused', async () => {
    const server = createServer();
    const port = await new Promise<number>((r) =>
      server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)),
    );
    await expect(checkMaster(`spark://127.0.0.1:${port}`)).resolves.toBeUndefined();
    server.close();
    await expect(checkMaster('local[2]')).resolves.toBeUndefined();
    await expect(checkMaster('mesos://x')).rejects.toThrow(/not a Spark master URL/);
  });
});
