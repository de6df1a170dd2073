/**
 * Just enough DOM to run report.html's script in Node: elements made by id from the page, text
 * via textContent, listeners, and a hard failure if anything touches innerHTML-like parsers.
 */
import vm from 'node:vm';

export class FakeElement {
  children: FakeElement[] = [];
  attributes = new Map<string, string>();
  listeners = new Map<string, Array<(ev: unknown) => void>>();
  className = '';
  value = '';
  private text = '';
  constructor(readonly tagName: string) {}
  get textContent(): string {
    return this.text + this.children.map((c) => c.textContent).join('');
  }
  set textContent(v: string) {
    this.text = String(v);
    this.children = [];
  }
  set innerHTML(_v: string) {
    throw new Error('innerHTML must not be used');
  }
  set outerHTML(_v: string) {
    throw new Error('outerHTML must not be used');
  }
  insertAdjacentHTML(): void {
    throw new Error('insertAdjacentHTML must not be used');
  }
  appendChild(c: FakeElement): FakeElement {
    this.children.push(c);
    return c;
  }
  replaceChildren(...nodes: FakeElement[]): void {
    this.text = '';
    this.children = nodes;
  }
  setAttribute(k: string, v: unknown): void {
    this.attributes.set(k, String(v));
  }
  getAttribute(k: string): string | null {
    return this.attributes.get(k) ?? null;
  }
  addEventListener(type: string, fn: (ev: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  fire(type: string, ev: unknown = {}): void {
    for (const fn of this.listeners.get(type) ?? []) fn(ev);
  }
  /** Every descendant with the tag name, depth first. */
  all(tag: string): FakeElement[] {
    return this.children.flatMap((c) => [...(c.tagName === tag ? [c] : []), ...c.all(tag)]);
  }
}

/** The content of the page's JSON data block, as written. */
export function dataBlock(html: string): string {
  const m = /<script type="application\/json" id="sangloc-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no data block');
  return m[1]!;
}

/** Runs the page's inline script against fake elements; returns them by id. Console errors throw. */
export function runReportScript(html: string): Record<string, FakeElement> {
  const byId: Record<string, FakeElement> = {};
  for (const m of html.matchAll(/<(\w+)[^>]*\sid="([^"]+)"/g)) byId[m[2]!] = new FakeElement(m[1]!);
  byId['sangloc-data']!.textContent = dataBlock(html);
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const document = {
    getElementById: (id: string) => byId[id] ?? null,
    createElement: (tag: string) => new FakeElement(tag),
    createElementNS: (ns: string, tag: string) => {
      if (ns !== 'http://www.w3.org/2000/svg') throw new Error(`unexpected namespace ${ns}`);
      return new FakeElement(tag);
    },
    createDocumentFragment: () => new FakeElement('#fragment'),
  };
  const fail = (...args: unknown[]) => {
    throw new Error(`console error: ${args.map(String).join(' ')}`);
  };
  const context = vm.createContext({ document, console: { error: fail, warn: fail, log: () => {} } });
  for (const s of scripts) vm.runInContext(s, context, { timeout: 10_000 });
  return byId;
}
