/**
 * What the config reference and the config errors read from a zod schema: the schema at a key
 * path, the keys an object allows, a short type label ("integer 1–64", `"vi" or "en"`), and every
 * problem of a value as one `path: what is wrong; what to write` line.
 */
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';

declare module 'zod' {
  interface GlobalMeta {
    /** Placeholder naming the keys of a free-keyed map in paths and docs: `year` → `taxRules.<year>`. */
    keyName?: string;
    /** Type as the reference and the errors show it, when the schema's own label says too little. */
    typeLabel?: string;
  }
}

type Path = readonly PropertyKey[];

/** The schema under its wrappers (default, prefault, optional, nullable, readonly, pipe input). */
export function unwrap(schema: z.ZodType): z.ZodType {
  return layers(schema).at(-1)!;
}

/** Every layer of a schema, outermost first (descriptions and metadata may sit on any of them). */
export function layers(schema: z.ZodType): z.ZodType[] {
  const out = [schema];
  for (let inner = innerOf(schema); inner; inner = innerOf(inner)) out.push(inner);
  return out;
}

function innerOf(s: z.ZodType): z.ZodType | undefined {
  if (
    s instanceof z.ZodDefault ||
    s instanceof z.ZodPrefault ||
    s instanceof z.ZodOptional ||
    s instanceof z.ZodNullable ||
    s instanceof z.ZodReadonly
  ) {
    return s.def.innerType as z.ZodType;
  }
  if (s instanceof z.ZodPipe) return s.def.in as z.ZodType;
  return undefined;
}

/** The first description or metadata field found from the outside in. */
export function metaOf(schema: z.ZodType): { description?: string; keyName?: string; typeLabel?: string } {
  const out: { description?: string; keyName?: string; typeLabel?: string } = {};
  for (const s of layers(schema)) {
    const m = s.meta() ?? {};
    out.description ??= s.description;
    out.keyName ??= m.keyName;
    out.typeLabel ??= m.typeLabel;
  }
  return out;
}

/** The default a schema fills in for a missing key (`hasDefault: false` when the key is just optional or required). */
export function defaultOf(schema: z.ZodType): { hasDefault: boolean; value?: unknown; optional: boolean } {
  for (const s of layers(schema)) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault)
      return { hasDefault: true, value: s.def.defaultValue, optional: true };
    if (s instanceof z.ZodOptional) return { hasDefault: false, optional: true };
  }
  return { hasDefault: false, optional: false };
}

/** The schema at a key path (object keys, or any key of a map), or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: Path): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const key of path) {
    const u: z.ZodType = unwrap(s);
    if (u instanceof z.ZodObject) s = (u.shape as Record<string, z.ZodType>)[String(key)];
    else if (u instanceof z.ZodRecord) s = u.def.valueType as z.ZodType;
    else return undefined;
    if (!s) return undefined;
  }
  return s;
}

/** The keys an object schema allows (a map keyed by an enum: its values; a free map: none). */
export function keysOf(schema: z.ZodType | undefined): string[] {
  const u = schema && unwrap(schema);
  if (u instanceof z.ZodObject) return Object.keys(u.shape);
  if (u instanceof z.ZodRecord && u.def.keyType instanceof z.ZodEnum)
    return (u.def.keyType.options as unknown[]).map(String);
  return [];
}

const maxSafe = Number.MAX_SAFE_INTEGER;

/** Short type label: `integer 1–64`, `number in [0, 0.5)`, `"vi" or "en"`, `object <year> → object`. */
export function typeLabel(schema: z.ZodType): string {
  const { typeLabel: label, keyName } = metaOf(schema);
  if (label) return label;
  const u = unwrap(schema);
  if (u instanceof z.ZodEnum) return orList((u.options as unknown[]).map((o) => JSON.stringify(o)));
  if (u instanceof z.ZodLiteral) return orList([...u.def.values].map((o) => JSON.stringify(o)));
  if (u instanceof z.ZodBoolean) return 'true or false';
  if (u instanceof z.ZodString) return 'string';
  if (u instanceof z.ZodNumber) return numberLabel(u);
  if (u instanceof z.ZodUnion) return (u.options as z.ZodType[]).map(typeLabel).join(' or ');
  if (u instanceof z.ZodRecord) return `object <${keyName ?? 'key'}> → ${typeLabel(u.def.valueType as z.ZodType)}`;
  if (u instanceof z.ZodObject) return 'object';
  if (u instanceof z.ZodArray) return 'array';
  return u.def.type;
}

function numberLabel(n: z.ZodNumber): string {
  const j = z.toJSONSchema(n) as {
    type?: string;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
  };
  const kind = j.type === 'integer' ? 'integer' : 'number';
  const lo = j.minimum !== undefined && j.minimum > -maxSafe ? j.minimum : j.exclusiveMinimum;
  const hi = j.maximum !== undefined && j.maximum < maxSafe ? j.maximum : j.exclusiveMaximum;
  const loOpen = j.exclusiveMinimum !== undefined;
  const hiOpen = j.exclusiveMaximum !== undefined;
  if (lo === undefined && hi === undefined) return kind;
  if (hi === undefined) return `${kind} ${loOpen ? '>' : '≥'} ${lo}`;
  if (lo === undefined) return `${kind} ${hiOpen ? '<' : '≤'} ${hi}`;
  if (kind === 'integer' && !loOpen && !hiOpen) return `integer ${lo}–${hi}`;
  return `${kind} in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
}

function orList(items: string[]): string {
  return items.length <= 2 ? items.join(' or ') : `one of ${items.join(', ')}`;
}

/** `rank.capacity`; the root is `rootName`. */
export function pathText(path: Path, rootName = 'config'): string {
  return path.length ? path.map((key) => (key === '' ? '""' : String(key))).join('.') : rootName;
}

/**
 * The closest allowed key to a misspelt one, if it is close enough to be a typo, both compared as
 * `key` makes them (case ignored by default; province names compare diacritics and spaces aside).
 */
export function didYouMean(
  typed: string,
  allowed: readonly string[],
  key: (s: string) => string = (s) => s.toLowerCase(),
): string | undefined {
  if (allowed.length === 0) return undefined;
  const keys = allowed.map(key);
  const k = key(typed);
  const best = closest(k, keys);
  const d = distance(k, best);
  // A typo changes a few letters, never all of them (`b` is not a typo of `a`).
  return d < k.length && d <= Math.max(2, Math.floor(k.length / 3)) ? allowed[keys.indexOf(best)] : undefined;
}

/** A value as an error shows it: short, and never more than the start of a long string. */
function shown(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/**
 * Every problem of `value` against `schema`, one line each, in the order zod finds them.
 * `prefix` is where the schema sits in the whole config (`['ingest']` for the ingest section).
 *
 * @example schemaProblems(configSchema, { rank: { capasity: 5 } })
 *   // ['rank.capasity: unknown key; did you mean "rank.capacity"?']
 */
export function schemaProblems(schema: z.ZodType, value: unknown, prefix: Path = []): string[] {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => issueLines(schema, issue, prefix));
}

function issueLines(root: z.ZodType, issue: z.core.$ZodIssue, prefix: Path): string[] {
  const at = pathText([...prefix, ...issue.path]);
  const here = schemaAt(root, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysOf(here);
      const noun = here ? (metaOf(here).keyName ?? 'key') : 'key';
      return issue.keys.map((key) => {
        const near = didYouMean(key, allowed);
        const full = pathText([...prefix, ...issue.path, key]);
        const hint = near
          ? `did you mean "${pathText([...prefix, ...issue.path, near])}"?`
          : `expected one of ${allowed.join(', ')}`;
        return `${full}: unknown ${noun}; ${hint}`;
      });
    }
    case 'invalid_key':
      return [`${at}: ${issue.issues[0]?.message ?? 'not an allowed key'}`];
    case 'custom':
      return [`${at}: ${issue.message}`];
    case 'invalid_type': {
      const keys = keysOf(here);
      const expected = here
        ? `${typeLabel(here)}${unwrap(here) instanceof z.ZodObject ? ` { ${keys.join(', ')} }` : ''}`
        : issue.expected;
      if (issue.path.length === 0 && prefix.length === 0) {
        return [
          `${at}: expected a JSON object of settings such as {"rank": {"capacity": 200}} (see docs/config.md), ` +
            `got ${shown(issue.input)}`,
        ];
      }
      if (issue.input === undefined) return [`${at}: missing; expected ${expected}`];
      return [`${at}: expected ${expected}, got ${shown(issue.input)}`];
    }
    case 'too_big':
    case 'too_small': {
      const expected = here ? typeLabel(here) : 'a smaller value';
      const unsafe =
        issue.origin === 'int' &&
        Math.abs(Number(issue.code === 'too_big' ? issue.maximum : issue.minimum)) === maxSafe;
      return [
        `${at}: expected ${expected}, got ${shown(issue.input)}` +
          (unsafe ? ` (beyond ±${maxSafe}, where numbers stop being exact)` : ''),
      ];
    }
    default:
      return [`${at}: expected ${here ? typeLabel(here) : 'another value'}, got ${shown(issue.input)}`];
  }
}
