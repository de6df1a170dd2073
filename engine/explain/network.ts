/**
 * The seller's network: the identity graph of one dossier, as an investigator's network view draws it (HMRC
 * Connect's, for one). The entity's records are nodes coloured by source, the links that joined them are edges
 * labelled with their strongest evidence, and related parties (a warehouse that booked the parcels, a contact
 * shared with other people, an entity reached by a link too weak to merge) stand apart, in their own column, with
 * dashed lines to the records that carry them. The layout is a fixed function of the dossier (records on a circle
 * in source order, parties stacked), so the same dossier draws the same picture. Nothing is shown that the dossier
 * does not already show: labels are the dossier's record labels and related values.
 */
import { fmt } from '../format.js';
import { escapeHtml } from '../publish/html.js';
import type { Dossier, LinkEvidence, RelatedParty } from './dossier.js';

export interface NetworkNode {
  /** `R1`, `R2`, … in drawing order (the text form refers to them). */
  key: string;
  record_id: number;
  source: string;
  label: string;
  x: number;
  y: number;
}

export interface NetworkEdge {
  a: number;
  b: number;
  /** The strongest evidence, e.g. `phone +19.9` or `tax_id` (exact). */
  evidence: string;
  /** Short form drawn on the edge, e.g. `SĐT`. */
  short: string;
  /** Kind of the strongest evidence (`phone`, `national_id`, …), which colours the edge. */
  kind: string;
  weight: number | null;
}

export interface NetworkParty {
  /** `P1`, `P2`, … */
  key: string;
  kind: RelatedParty['kind'];
  value: string;
  /** Other entities carrying the value. */
  entity_count: number;
  /** Indices of the nodes (records of this seller) that carry it. */
  nodes: number[];
  x: number;
  y: number;
}

export interface NetworkGraph {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  parties: NetworkParty[];
  /** Records not drawn (beyond `maxNodes`), still listed in the dossier. */
  hidden: number;
  width: number;
  height: number;
}

/** How an evidence part is named on an edge (Vietnamese abbreviations an analyst uses). */
const shortEvidence: Record<string, string> = {
  national_id: 'CCCD',
  tax_id: 'MST',
  phone: 'SĐT',
  account: 'TK',
  email: 'email',
  domain: 'web',
  shop: 'gian hàng',
  name: 'tên',
  province: 'tỉnh',
  address: 'địa chỉ',
};

/** Source colours (classes `src0` … `src6` in the page's style), in a fixed order; unknown sources take the last. */
const sourceOrder = ['taxpayers', 'platform_sellers', 'websites', 'bank_transactions', 'cod_shipments', 'declarations'];
const sourceClass = (source: string) => {
  const i = sourceOrder.indexOf(source);
  return `src${i < 0 ? sourceOrder.length : i}`;
};

/** The strongest evidence of a link: the largest positive weight part (not the prior), or the shared kinds. */
export function strongestEvidence(l: LinkEvidence): { evidence: string; short: string; kind: string } {
  if (l.method === 'exact') {
    const kind = sharedStrength.find((k) => l.shared.includes(k)) ?? l.shared[0] ?? 'other';
    return { evidence: l.shared.join(', '), short: l.shared.map((k) => shortEvidence[k] ?? k).join('+'), kind };
  }
  const best = l.parts
    .filter((p) => p.part !== 'prior' && p.weight > 0)
    .sort((x, y) => y.weight - x.weight || x.part.localeCompare(y.part))[0];
  if (!best) {
    const w = l.match_weight === null ? '?' : fmt().dec(l.match_weight, 1);
    return { evidence: `weight ${w}`, short: '?', kind: 'other' };
  }
  return {
    evidence: `${best.part} +${fmt().dec(best.weight, 1)}`,
    short: shortEvidence[best.part] ?? best.part,
    kind: best.part,
  };
}

/** Shared identifier kinds, strongest first (for exact links). */
const sharedStrength = ['national_id', 'tax_id', 'account', 'phone', 'email', 'domain'];

/** Edge colours by evidence kind (classes `ev-<kind>`); anything else is `ev-other`. */
const evidenceKinds = ['national_id', 'tax_id', 'phone', 'account', 'email', 'domain', 'shop', 'name'];
const evidenceClass = (kind: string) => `ev-${evidenceKinds.includes(kind) ? kind : 'other'}`;

const evidenceOrder = (cls: string) => {
  const i = evidenceKinds.indexOf(cls.slice(3));
  return i < 0 ? evidenceKinds.length : i;
};

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The graph of a dossier with its layout (at most `maxNodes` records drawn, in source and label order).
 *
 * @example const g = dossierNetwork(dossier); g.nodes[0] // { key: 'R1', source: 'bank_transactions', … }
 */
export function dossierNetwork(d: Dossier, maxNodes = 40): NetworkGraph {
  const records = [...d.identities].sort(
    (a, b) =>
      sourceOrder.indexOf(a.source) - sourceOrder.indexOf(b.source) ||
      a.source.localeCompare(b.source) ||
      a.label.localeCompare(b.label) ||
      a.record_id - b.record_id,
  );
  const drawn = records.slice(0, maxNodes);
  const n = drawn.length;
  const r = n <= 1 ? 0 : Math.max(120, Math.round((n * 40) / (2 * Math.PI)));
  const labelRoom = 240;
  const cx = labelRoom + r + 20;
  const cy = r + 40;
  const nodes: NetworkNode[] = drawn.map((rec, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    return {
      key: `R${i + 1}`,
      record_id: rec.record_id,
      source: rec.source,
      label: rec.label,
      x: Math.round((cx + r * Math.cos(angle)) * 10) / 10,
      y: Math.round((cy + r * Math.sin(angle)) * 10) / 10,
    };
  });
  const byId = new Map(nodes.map((node, i) => [node.record_id, i]));
  const edges: NetworkEdge[] = [];
  for (const l of d.links) {
    const a = l.id_a === undefined ? undefined : byId.get(l.id_a);
    const b = l.id_b === undefined ? undefined : byId.get(l.id_b);
    if (a === undefined || b === undefined || a === b) continue;
    edges.push({ a: Math.min(a, b), b: Math.max(a, b), ...strongestEvidence(l), weight: l.match_weight });
  }
  edges.sort((x, y) => x.a - y.a || x.b - y.b);
  const partyX = cx + r + labelRoom + 40;
  const parties: NetworkParty[] = d.related.map((p, i) => ({
    key: `P${i + 1}`,
    kind: p.kind,
    value: p.value,
    entity_count: p.entity_count,
    nodes: (p.records ?? []).map((id) => byId.get(id)).filter((k): k is number => k !== undefined),
    x: partyX,
    y: 40 + i * 34,
  }));
  const present = new Set(nodes.map((node) => node.source)).size;
  const kinds = new Set(edges.map((e) => evidenceClass(e.kind))).size;
  const width = Math.max(parties.length ? partyX + 300 : cx + r + labelRoom + 20, 20 + Math.max(present, kinds) * 160);
  const height = Math.max(cy + r + 40, 40 + parties.length * 34) + (kinds ? 52 : 30);
  return { nodes, edges, parties, hidden: records.length - drawn.length, width, height };
}

const partyLabels: Record<RelatedParty['kind'], [vi: string, en: string]> = {
  warehouse_phone: ['SĐT kho hàng', 'warehouse phone'],
  warehouse_name: ['tên kho hàng', 'warehouse name'],
  warehouse_account: ['TK kho hàng', 'warehouse account'],
  shared_phone: ['SĐT dùng chung', 'shared phone'],
  shared_email: ['email dùng chung', 'shared e-mail'],
  shared_account: ['TK dùng chung', 'shared account'],
  weak_link: ['liên kết yếu', 'weak link'],
};

/**
 * The graph as inline SVG (no script): each record node links to its row in the identities table (`#rec-<id>`),
 * each party to its line in the related list (`#party-<n>`).
 */
export function networkSvg(g: NetworkGraph): string {
  const h = escapeHtml;
  if (g.nodes.length === 0) return '';
  const edgeLines = g.edges
    .map((e) => {
      const a = g.nodes[e.a]!;
      const b = g.nodes[e.b]!;
      const w = e.weight === null ? 1.5 : Math.min(4, Math.max(1, e.weight / 12));
      return (
        `<g class="edge ${evidenceClass(e.kind)}"><title>${h(`${a.key} – ${b.key}: ${e.evidence}`)}</title>` +
        `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke-width="${w.toFixed(1)}"></line></g>`
      );
    })
    .join('');
  // Edge labels after every line, so no line crosses a label; a dense graph shows the colour legend only.
  const edgeLabels =
    g.edges.length <= 12
      ? g.edges
          .map((e) => {
            const a = g.nodes[e.a]!;
            const b = g.nodes[e.b]!;
            return (
              `<text class="ev" x="${((a.x + b.x) / 2).toFixed(1)}" y="${((a.y + b.y) / 2 + 3).toFixed(1)}" ` +
              `text-anchor="middle">${h(e.short)}</text>`
            );
          })
          .join('')
      : '';
  const partyLines = g.parties
    .flatMap((p) =>
      p.nodes.map((k) => {
        const node = g.nodes[k]!;
        return `<line class="party-link" x1="${node.x}" y1="${node.y}" x2="${p.x}" y2="${p.y}"></line>`;
      }),
    )
    .join('');
  const cx = g.nodes.reduce((s, node) => s + node.x, 0) / g.nodes.length;
  const nodeMarks = g.nodes
    .map((node) => {
      const right = node.x >= cx - 0.5;
      const tx = node.x + (right ? 13 : -13);
      return (
        `<a href="#rec-${node.record_id}"><g class="node ${sourceClass(node.source)}">` +
        `<title>${h(`${node.key} ${node.source}: ${node.label}`)}</title>` +
        `<circle cx="${node.x}" cy="${node.y}" r="9"></circle>` +
        `<text x="${tx.toFixed(1)}" y="${(node.y + 4).toFixed(1)}" text-anchor="${right ? 'start' : 'end'}">` +
        `${h(`${node.key} ${truncate(node.label, 34)}`)}</text></g></a>`
      );
    })
    .join('');
  const partyMarks = g.parties
    .map((p, i) => {
      const [vi, en] = partyLabels[p.kind];
      const others = p.entity_count ? ` · +${fmt().int(p.entity_count)}` : '';
      return (
        `<a href="#party-${i + 1}"><g class="party"><title>${h(`${p.key} ${vi} / ${en}: ${p.value}${others}`)}` +
        `</title><rect x="${p.x - 8}" y="${p.y - 8}" width="16" height="16" transform="rotate(45 ${p.x} ${p.y})">` +
        `</rect><text x="${p.x + 14}" y="${p.y + 4}">${h(`${p.key} ${vi}: ${truncate(p.value, 22)}${others}`)}` +
        `</text></g></a>`
      );
    })
    .join('');
  const present = [...new Set(g.nodes.map((node) => node.source))];
  const kinds = [...new Set(g.edges.map((e) => evidenceClass(e.kind)))].sort(
    (a, b) => evidenceOrder(a) - evidenceOrder(b),
  );
  const rowY = g.height - (kinds.length ? 36 : 14);
  const legend =
    present
      .map(
        (s, i) =>
          `<g class="${sourceClass(s)}"><circle cx="${20 + i * 160}" cy="${rowY}" r="6"></circle>` +
          `<text x="${30 + i * 160}" y="${rowY + 4}">${h(s)}</text></g>`,
      )
      .join('') +
    kinds
      .map((k, i) => {
        const kind = k.slice(3);
        const name = kind === 'other' ? 'khác / other' : `${shortEvidence[kind] ?? kind} (${kind})`;
        return (
          `<g class="edge ${k}"><line x1="${12 + i * 160}" x2="${32 + i * 160}" y1="${g.height - 14}" ` +
          `y2="${g.height - 14}" stroke-width="3"></line><text x="${38 + i * 160}" y="${g.height - 10}">` +
          `${h(name)}</text></g>`
        );
      })
      .join('');
  return (
    `<svg class="chart network" role="img" aria-label="Mạng lưới người bán / The seller's network" ` +
    `viewBox="0 0 ${g.width} ${g.height}" width="${g.width}" height="${g.height}">` +
    `${edgeLines}${partyLines}${edgeLabels}${nodeMarks}${partyMarks}${legend}</svg>`
  );
}

/** Styles of the network SVG (added to the dossier page's sheet). */
export const networkCss = `
.network .edge line { stroke:#9ca3af; } .network .ev-national_id line { stroke:#111827; }
.network .ev-tax_id line { stroke:#065f46; } .network .ev-phone line { stroke:#2563eb; }
.network .ev-account line { stroke:#d97706; } .network .ev-email line { stroke:#7c3aed; }
.network .ev-domain line { stroke:#db2777; } .network .ev-shop line { stroke:#ca8a04; }
.network .ev-name line { stroke:#6b7280; } .network .edge { opacity:.8; }
.network .party-link { stroke:#9a3412; stroke-dasharray:4 3; }
.network .ev { font-size:10px; fill:#1d2733; paint-order:stroke; stroke:#fff; stroke-width:3px; }
.network .node circle { stroke:#fff; stroke-width:1.5; } .network a:hover text { text-decoration:underline; }
.network .party rect { fill:#fff; stroke:#9a3412; stroke-width:1.5; stroke-dasharray:3 2; }
.network .src0 circle { fill:#0b6e4f; } .network .src1 circle { fill:#d97706; } .network .src2 circle { fill:#7c3aed; }
.network .src3 circle { fill:#2563eb; } .network .src4 circle { fill:#db2777; } .network .src5 circle { fill:#4b5563; }
.network .src6 circle { fill:#9aa5b1; }
tr:target, li:target { background:#fff3c4; }
`;

/**
 * The graph as text lines for the terminal dossier: nodes by key, edges with their evidence, parties with the
 * records carrying them.
 */
export function networkText(g: NetworkGraph): string[] {
  const out: string[] = [];
  for (const node of g.nodes) out.push(`  ${node.key.padEnd(4)} ${node.source}: ${node.label}`);
  const vi = fmt().lang === 'vi';
  if (g.hidden)
    out.push(
      vi ? `  … còn ${fmt().int(g.hidden)} bản ghi, không vẽ` : `  … ${fmt().int(g.hidden)} more record(s), not drawn`,
    );
  for (const e of g.edges) out.push(`  ${g.nodes[e.a]!.key} ── ${g.nodes[e.b]!.key}  ${e.evidence}`);
  for (const p of g.parties) {
    const [viLabel, en] = partyLabels[p.kind];
    const carriers = p.nodes.map((k) => g.nodes[k]!.key).join(', ');
    const others = vi
      ? ` (còn ở ${fmt().int(p.entity_count)} thực thể khác)`
      : ` (also ${fmt().int(p.entity_count)} other entit${p.entity_count === 1 ? 'y' : 'ies'})`;
    out.push(
      `  ${p.key.padEnd(4)} ${vi ? viLabel : en}: ${p.value}` +
        (p.entity_count ? others : '') +
        (carriers ? ` ┄ ${carriers}` : ''),
    );
  }
  return out;
}
