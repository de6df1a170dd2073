/**
 * What a batch does when the operator or the scheduler stops it (SIGTERM from `systemctl stop` or
 * `docker stop`, Ctrl-C): clean up synchronously, say so, then die by the same signal so the
 * caller sees the usual status (143 / 130).
 */
const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Until `dispose()`, a SIGTERM, SIGINT or SIGHUP runs `cleanup(signal)` (errors in it are ignored:
 * the process is ending), prints one line on stderr (`sangloc: interrupted by SIGTERM; ` + what
 * `cleanup` returns) and re-raises the signal.
 *
 * @example
 *   const stop = onInterrupt((signal) => {
 *     removeTempCopies();
 *     appendAudit(ws, { action: 'run_failed', detail: `interrupted by ${signal}` });
 *     return 'nothing published';
 *   });
 *   try { await work(); } finally { stop.dispose(); }
 */
export function onInterrupt(cleanup: (signal: NodeJS.Signals) => string | undefined): { dispose(): void } {
  const handler = (signal: NodeJS.Signals) => {
    dispose();
    let outcome: string | undefined;
    try {
      outcome = cleanup(signal);
    } catch {
      /* ending anyway: the next run sweeps what is left */
    }
    process.stderr.write(`sangloc: interrupted by ${signal}; ${outcome || 'cleaned up'}\n`);
    process.kill(process.pid, signal);
  };
  const dispose = () => {
    for (const s of signals) process.removeListener(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return { dispose };
}
