import { createRng } from './forest/random.js';

export interface RankOptions {
  /** Cases in the work list, control slice included (0 = every eligible entity plus its control share). */
  capacity: number;
  /** Share of the work list drawn at random as a control slice. */
  controlShare: number;
  seed: number;
  /** Most scored cases the work list may take from one province (absent = no limit). */
  provinceQuotas?: Record<string, number>;
  /** Province of each entity (needed with quotas). */
  provinces?: readonly (string | null)[];
  /**
   * 1 where the entity is a case at all (a reason or a positive tax gap); only these fill the scored part of the
   * work list. Absent = every entity is eligible.
   */
  eligible?: Uint8Array;
}

export interface Ranking {
  /** Entity indices, best first: the work list (scored picks, then control picks), then everyone else. */
  order: Int32Array;
  /** 1 where the entity at that position was drawn for the control slice. */
  control: Uint8Array;
  /** Length of the work list: the first `workList` entries of `order` (scored picks, then control picks). */
  workList: number;
}

/**
 * Orders entities by expected yield (ties: higher risk, then entity id), fills the work list of
 * `capacity` with the best eligible ones (at most a province's quota from each province, when quotas are set), and
 * reserves `controlShare` of it for entities drawn at random from the
 * rest, so every list carries unbiased labels for the next training. When fewer entities are eligible than the
 * scored part needs, the list is shorter (never padded with entities that are no case) and its control slice keeps
 * the same share. Excluded entities (already under audit) are left out entirely. Deterministic for a seed.
 *
 * @example rankCases(yieldArr, riskArr, ids, excluded, { capacity: 200, controlShare: 0.03, seed: 1 })
 */
export function rankCases(
  expectedYield: Float64Array,
  risk: Float64Array,
  entityIds: readonly string[],
  excluded: Uint8Array,
  opts: RankOptions,
): Ranking {
  const candidates: number[] = [];
  for (let i = 0; i < entityIds.length; i++) if (!excluded[i]) candidates.push(i);
  const idOrder = idRanks(entityIds);
  candidates.sort((a, b) => expectedYield[b]! - expectedYield[a]! || risk[b]! - risk[a]! || idOrder[a]! - idOrder[b]!);
  const total = candidates.length;
  const eligible = opts.eligible;
  const eligibleCount = eligible ? candidates.reduce((n, c) => n + (eligible[c] ? 1 : 0), 0) : total;
  const capacity = opts.capacity > 0 ? Math.min(opts.capacity, total) : eligibleCount;
  const fullControl = Math.round(capacity * opts.controlShare);
  const { head, rest } = fillWorkList(candidates, capacity - fullControl, opts);
  // A short list keeps the control share: c / (picked + c) = controlShare.
  const controlCount =
    head.length === capacity - fullControl
      ? fullControl
      : Math.min(rest.length, Math.round((head.length * opts.controlShare) / (1 - opts.controlShare)));
  // Partial Fisher–Yates over the rest: the first controlCount entries become the control slice.
  const rng = createRng(opts.seed, 0x5eed);
  for (let i = 0; i < controlCount; i++) {
    const j = i + rng.nextInt(rest.length - i);
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  const controls = rest.slice(0, controlCount);
  const position = new Int32Array(entityIds.length);
  candidates.forEach((c, k) => (position[c] = k));
  const others = rest.slice(controlCount).sort((a, b) => position[a]! - position[b]!);
  const order = Int32Array.from([...head, ...controls, ...others]);
  const control = new Uint8Array(order.length);
  control.fill(1, head.length, head.length + controls.length);
  return { order, control, workList: head.length + controls.length };
}

/** Takes the best `picked` eligible candidates, skipping those whose province has used up its quota. */
function fillWorkList(candidates: number[], picked: number, opts: RankOptions): { head: number[]; rest: number[] } {
  const quotas = opts.provinceQuotas ?? {};
  const eligible = opts.eligible;
  if (!eligible && Object.keys(quotas).length === 0)
    return { head: candidates.slice(0, picked), rest: candidates.slice(picked) };
  const used = new Map<string, number>();
  const head: number[] = [];
  const rest: number[] = [];
  for (const c of candidates) {
    const province = opts.provinces?.[c] ?? '';
    const quota = quotas[province];
    const count = used.get(province) ?? 0;
    if (head.length < picked && (!eligible || eligible[c]) && (quota === undefined || count < quota)) {
      head.push(c);
      used.set(province, count + 1);
    } else rest.push(c);
  }
  return { head, rest };
}

/** Position of each id in id order; ids that already come sorted (as the marts give them) cost one pass. */
function idRanks(ids: readonly string[]): Int32Array {
  const n = ids.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
  if (sorted) return Int32Array.from({ length: n }, (_, i) => i);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b,
  );
  const rank = new Int32Array(n);
  order.forEach((i, k) => (rank[i] = k));
  return rank;
}
