import { describe, expect, it } from 'vitest';
import { createLogger, peakRssBytes } from '../../engine/log.js';

describe('logger stages', () => {
  it('records wall, CPU time and the peak RSS at the end of each stage', async () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    await log.stage('busy', () => {
      // 50 ms of CPU time on this thread, however long a busy machine takes to give it
      const from = process.cpuUsage();
      let x = 0;
      for (;;) {
        for (let i = 0; i < 1e5; i++) x += Math.sqrt(x + i);
        const used = process.cpuUsage(from);
        if (used.user + used.system >= 50_000) return x;
      }
    });
    await log.stage('idle', () => new Promise((r) => setTimeout(r, 50)));
    expect(log.cpuTimings.busy).toBeGreaterThanOrEqual(50);
    expect(log.timings.busy).toBeGreaterThanOrEqual(log.cpuTimings.busy! - 5);
    // sleeping costs (next to) no CPU, whatever the wall time
    expect(log.cpuTimings.idle!).toBeLessThan(log.timings.idle!);
    expect(log.peakRssMb.busy).toBeGreaterThan(10);
    expect(log.peakRssMb.idle).toBeGreaterThanOrEqual(log.peakRssMb.busy!);
    expect(peakRssBytes()).toBeGreaterThanOrEqual(process.memoryUsage().rss * 0.5);
    expect(lines.some((l) => l.startsWith('sangloc: [busy] done in'))).toBe(true);
  });
});
