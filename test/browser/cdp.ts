/**
 * A small driver for headless Chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands
 * on fd 3, replies on fd 4, NUL-separated JSON), for tests that must lay a page out at an exact viewport (the
 * `--window-size` flag clamps narrow windows) and read measurements back from inside it. No network, no library.
 *
 * @example
 *   const b = await openBrowser('/usr/bin/chromium', profileDir);
 *   const p = await b.open(`file://${page}`, { width: 390, height: 844 });
 *   const widths = await p.evaluate<number>('document.documentElement.scrollWidth');
 *   writeFileSync('shot.png', await p.screenshot());
 *   await b.close();
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export interface Viewport {
  width: number;
  height: number;
}

export interface BrowserPage {
  /** Console messages and browser log entries (script errors, CSP violations) seen since the page opened. */
  messages: string[];
  /** Value of a JavaScript expression in the page (JSON-serialisable results only). */
  evaluate<T>(expression: string): Promise<T>;
  /** PNG of the viewport. */
  screenshot(): Promise<Buffer>;
}

export interface Browser {
  open(url: string, viewport: Viewport): Promise<BrowserPage>;
  close(): Promise<void>;
}

/** Starts headless Chromium with a pipe to talk to it. */
export async function openBrowser(executable: string, profile: string): Promise<Browser> {
  const child = spawn(
    executable,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  child.stderr!.resume();
  const out = child.stdio[3] as Writable;
  const input = child.stdio[4] as Readable;
  let nextId = 1;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Message) => void)[] = [];
  let buffer = '';
  input.setEncoding('utf8');
  input.on('data', (chunk: string) => {
    buffer += chunk;
    let end = buffer.indexOf('\0');
    while (end >= 0) {
      const m = JSON.parse(buffer.slice(0, end)) as Message;
      buffer = buffer.slice(end + 1);
      end = buffer.indexOf('\0');
      if (m.id !== undefined && pending.has(m.id)) {
        const p = pending.get(m.id)!;
        pending.delete(m.id);
        if (m.error) p.reject(new Error(`chromium: ${m.error.message}`));
        else p.resolve(m);
      } else for (const l of listeners) l(m);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.on('exit', () => {
    for (const p of pending.values()) p.reject(new Error('chromium exited'));
    pending.clear();
  });

  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      out.write(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }) + '\0');
    });
  const waitFor = (method: string, sessionId: string, timeoutMs = 60_000) =>
    new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`chromium: no ${method} within ${timeoutMs} ms`)), timeoutMs);
      const l = (m: Message) => {
        if (m.method === method && m.sessionId === sessionId) {
          clearTimeout(timer);
          listeners.splice(listeners.indexOf(l), 1);
          resolve(m);
        }
      };
      listeners.push(l);
    });

  return {
    async open(url, viewport) {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as {
        sessionId: string;
      };
      const messages: string[] = [];
      listeners.push((m) => {
        if (m.sessionId !== sessionId) return;
        if (m.method === 'Runtime.consoleAPICalled') {
          const args = (m.params!.args as { value?: unknown; description?: string }[]) ?? [];
          messages.push(`console.${m.params!.type}: ${args.map((a) => a.value ?? a.description).join(' ')}`);
        } else if (m.method === 'Runtime.exceptionThrown') {
          messages.push(`exception: ${JSON.stringify(m.params!.exceptionDetails)}`);
        } else if (m.method === 'Log.entryAdded') {
          const e = m.params!.entry as { level: string; text: string };
          messages.push(`log.${e.level}: ${e.text}`);
        }
      });
      await send('Page.enable', {}, sessionId);
      await send('Runtime.enable', {}, sessionId);
      await send('Log.enable', {}, sessionId);
      await send(
        'Emulation.setDeviceMetricsOverride',
        { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false },
        sessionId,
      );
      const loaded = waitFor('Page.loadEventFired', sessionId);
      await send('Page.navigate', { url }, sessionId);
      await loaded;
      return {
        messages,
        async evaluate<T>(expression: string) {
          const r = (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as {
            result: { value: T };
            exceptionDetails?: unknown;
          };
          if (r.exceptionDetails) throw new Error(`page: ${JSON.stringify(r.exceptionDetails)}`);
          return r.result.value;
        },
        async screenshot() {
          const r = (await send('Page.captureScreenshot', { format: 'png' }, sessionId)) as { data: string };
          return Buffer.from(r.data, 'base64');
        },
      };
    },
    async close() {
      await send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
