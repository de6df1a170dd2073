import { describe, expect, it } from 'vitest';
import { createLogger, peakRssBytes } from '../../engine/log.js';

describe('logger stages', () => {
  it('records wall, CPU time and the peak RSS at the end of each stage', async () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    let inside = 0; // the wall time the stage's own body saw
    await log.stage('busy', () => {
      // 50 ms of the process's CPU time, however long a busy machine takes to give it
      const t0 = performance.now();
      const from = process.cpuUsage();
      let x = 0;
      for (;;) {
        for (let i = 0; i < 1e5; i++) x += Math.sqrt(x + i);
        const used = process.cpuUsage(from);
        if (used.user + used.system >= 50_000) {
          inside = performance.now() - t0;
          return x;
        }
      }
    });
    await log.stage('idle', () => new Promise((r) => setTimeout(r, 50)));
    expect(log.cpuTimings.busy).toBeGreaterThanOrEqual(50);
    // The stage's wall time holds its body's. (Not "wall >= CPU": the CPU time is the process's,
    // and V8's background threads — GC, compiling — can add more of it than the wall clock moves.)
    expect(log.timings.busy).toBeGreaterThanOrEqual(Math.floor(inside));
    expect(inside).toBeGreaterThan(0);
    // sleeping costs (next to) no CPU, whatever the wall time
    expect(log.cpuTimings.idle!).toBeLessThan(log.timings.idle!);
    expect(log.peakRssMb.busy).toBeGreaterThan(10);
    expect(log.peakRssMb.idle).toBeGreaterThanOrEqual(log.peakRssMb.busy!);
    expect(peakRssBytes()).toBeGreaterThanOrEqual(process.memoryUsage().rss * 0.5);
    expect(lines.some((l) => l.startsWith('sangloc: [busy] done in'))).toBe(true);
  });
});
