/**
 * Linking text lists: two seeded synthetic product lists (the same products listed by two shops:
 * titles reworded, words dropped or swapped, model numbers written with or without dashes,
 * prices as `$399.00` or `399,00 US$`), linked one-to-one with word and model-number blocking
 * and text comparisons (TF-IDF cosine, token Jaccard, Jaro–Winkler, prices). Prints candidate
 * pairs compared per second (the compare step: comparison vectors of every candidate pair and of
 * the random pairs for u), peak memory, F1 against the known products, and the ratio to a
 * reference measured in the same run: the same lists linked on whole cleaned titles only.
 *
 *   npx tsx bench/link-text.ts [--products 50000] [--seed 1]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { linkFiles } from '../engine/resolve/link-files.js';
import { pairwiseQuality } from '../engine/resolve/quality.js';
import { normalizeLinkSpec, type LinkSpec } from '../engine/resolve/spec.js';

const { values } = parseArgs({ options: { products: { type: 'string' }, seed: { type: 'string' } } });
const products = Number(values.products ?? 50_000);
const seed = Number(values.seed ?? 1);

/** mulberry32: a seeded generator. */
function rng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const brands =
  'samsung apple xiaomi oppo vivo sony lg asus acer dell hp lenovo panasonic sharp toshiba philips canon nikon bosch electrolux'.split(
    ' ',
  );
const kinds =
  'phone tablet laptop monitor headphones speaker camera lens fridge washer vacuum blender kettle router watch tv printer keyboard mouse charger'.split(
    ' ',
  );
const words = (
  'pro max mini plus ultra lite air neo edge prime smart wireless portable digital classic sport 5g 4k hd oled qled gaming silent compact ' +
  'black white silver blue red gold grey green 64gb 128gb 256gb 512gb 1tb 8gb 16gb 32gb inch 2023 2024 edition'
).split(' ');

function makeLists(dir: string): { a: string; b: string } {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const rowsA = ['id,title,price'];
  const rowsB = ['id,title,price'];
  for (let p = 0; p < products; p++) {
    const brand = pick(brands);
    const model = `${brand.slice(0, 2)}${Math.floor(r() * 9000 + 1000)}${String.fromCharCode(97 + Math.floor(r() * 26))}`;
    const extra = Array.from({ length: 2 + Math.floor(r() * 4) }, () => pick(words));
    const title = [brand, pick(kinds), ...extra, model];
    const price = Math.round(r() * 2000 + 20);
    rowsA.push(`a${p},"${title.join(' ')}","$${price}.00"`);
    if (r() < 0.15) continue; // listed by one shop only
    const t2 = title.filter(() => r() > 0.15);
    if (r() < 0.5) t2.reverse();
    const m2 = r() < 0.5 ? `${model.slice(0, 2)}-${model.slice(2)}` : model.toUpperCase();
    const price2 = (price * (0.97 + r() * 0.06)).toFixed(2).replace('.', ',');
    rowsB.push(`b${p},"${[...t2.filter((w) => w !== model), m2].join(' ')}","${price2} US$"`);
  }
  writeFileSync(join(dir, 'a.csv'), rowsA.join('\n') + '\n');
  writeFileSync(join(dir, 'b.csv'), rowsB.join('\n') + '\n');
  return { a: join(dir, 'a.csv'), b: join(dir, 'b.csv') };
}

const textSpec: LinkSpec = {
  unique_id: 'id',
  link_type: 'link_only',
  fields: { title: { normalize: 'text' }, price: { normalize: 'number' } },
  comparisons: [
    {
      name: 'title',
      field: 'title',
      levels: [
        { kind: 'tfidf_cosine', min: 0.8 },
        { kind: 'tfidf_cosine', min: 0.6 },
        { kind: 'jaccard', min: 0.5 },
        { kind: 'jaro_winkler', min: 0.9, word_order: 'sorted' },
      ],
    },
    {
      name: 'price',
      field: 'price',
      levels: [
        { kind: 'rel_diff', max: 0.5 },
        { kind: 'rel_diff', max: 2 },
      ],
    },
  ],
  blocking: [
    { fields: [{ field: 'title', key: 'model' }], max_block_size: 50 },
    { fields: [{ field: 'title', key: 'words' }], max_block_size: 30 },
  ],
  max_pairs: 200_000_000,
  threshold: { match_probability: 0.5 },
  clustering: { method: 'one_to_one' },
};

const referenceSpec: LinkSpec = {
  unique_id: 'id',
  fields: { title: { normalize: 'text' }, title_sorted: { column: 'title', normalize: 'text' } },
  comparisons: [{ name: 'title', field: 'title', levels: [{ kind: 'exact' }] }],
  blocking: [{ fields: ['title'] }],
  threshold: { match_probability: 0.5 },
  clustering: { method: 'one_to_one' },
};

async function measure(files: { a: string; b: string }, spec: LinkSpec, out: string) {
  const t = performance.now();
  const r = await linkFiles({
    files: [files.a, files.b],
    spec: normalizeLinkSpec(spec),
    specSource: 'bench',
    outDir: out,
    seed,
  });
  const ms = performance.now() - t;
  const clusters = readFileSync(join(out, 'clusters.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const q = pairwiseQuality(
    clusters.map((c) => ({ cluster: c[2]!, entity: c[1]!.slice(1), file: c[0] === 'a.csv' ? 0 : 1 })),
    true,
  );
  return { r, ms, q };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'sangloc-link-text-'));
  mkdirSync(dir, { recursive: true });
  try {
    const files = makeLists(dir);
    const ref = await measure(files, referenceSpec, join(dir, 'ref'));
    const text = await measure(files, textSpec, join(dir, 'text'));
    const rss = process.resourceUsage().maxRSS / 1024;
    const compare = text.r.timings.compare!;
    const uPairs = text.r.weights.u_pairs;
    const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `products ${products.toLocaleString('en')}: ${text.r.records.toLocaleString('en')} records in two lists, seed ${seed}`,
    );
    console.log(
      `text spec: candidate pairs ${text.r.candidatePairs.toLocaleString('en')} (${text.r.rulePairs.map((n) => n.toLocaleString('en')).join(' + ')} by rule), random pairs for u ${uPairs.toLocaleString('en')}`,
    );
    console.log(
      `  steps: ${Object.entries(text.r.timings)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')}; all ${fmt(text.ms)}`,
    );
    console.log(
      `  compare: ${Math.round((text.r.candidatePairs + uPairs) / (compare / 1000)).toLocaleString('en')} pairs compared per second (candidate + random pairs)`,
    );
    console.log(
      `  pairwise precision ${text.q.precision.toFixed(4)}, recall ${text.q.recall.toFixed(4)}, F1 ${text.q.f1.toFixed(4)}; peak RSS ${Math.round(rss)} MB`,
    );
    console.log(
      `reference (whole titles, exact): ${fmt(ref.ms)}, F1 ${ref.q.f1.toFixed(4)}; ratio text / reference ${(text.ms / ref.ms).toFixed(1)}×`,
    );
  } finally {
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}

await main();
