/**
 * Two figures of the quality bench that evaluate.ts does not give, from the generator's truth
 * (truth/records.csv, truth/persons.csv, taxpayers.csv) and a run folder, never from the engine:
 *
 * - recall over the records the run attributed: pairwise recall counted only among truth records
 *   present in members.csv. COD parcels a warehouse booked with nothing of the seller's own are
 *   left out of every entity on purpose (run.json `unattributed`); the plain recall counts them as
 *   missed, this one does not (it is reported beside the plain one, never instead of it);
 * - registered, compliant sellers listed as UNREGISTERED_ABOVE_THRESHOLD in the top K (issue 20):
 *   "registered" = the truth person owns an active record of taxpayers.csv, "compliant" = its
 *   undeclared revenue is 0 (truth/persons.csv). A case is the person most of its rows belong to.
 *   POSSIBLY_REGISTERED cases are judged too: right when the candidate tax code the run names is a
 *   registry record of that very person.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

const rowsOf = (file: string): string[][] =>
  (parse(readFileSync(file, 'utf8'), { relax_column_count: true }) as string[][]).slice(1);

export interface RegisteredAtK {
  k: number;
  /** cases marked UNREGISTERED_ABOVE_THRESHOLD */
  unregisteredListed: number;
  /** of those, registered and compliant in truth: the figure of issue 20 (goal 0) */
  registeredCompliant: number;
  /** of those, registered in truth (compliant or not) */
  registered: number;
  possiblyRegistered: number;
  /** POSSIBLY_REGISTERED cases whose candidate tax code is the person's own registry record */
  possiblyRegisteredRight: number;
}

export interface TruthFigures {
  /** pairwise recall among the truth records present in members.csv */
  attributedRecall: number | null;
  /** truth records absent from members.csv (left unattributed) */
  absentRecords: number;
  atK: RegisteredAtK[];
  /** rank:entity of registered, compliant sellers listed as unregistered (top 500), for diagnosis */
  examples: string[];
}

/**
 * Figures of one run against the world's truth. `candidates` maps entity id → the candidate tax
 * code the run named (mart_registry_candidates).
 */
export function truthFigures(
  worldDir: string,
  runDir: string,
  candidates: Map<string, string>,
  ks: number[] = [100, 500],
): TruthFigures {
  const personOfRecord = new Map<string, string>();
  for (const [source, key, person] of rowsOf(join(worldDir, 'truth', 'records.csv')))
    personOfRecord.set(`${source}|${key}`, person!);
  const undeclared = new Map<string, number>();
  for (const [person, und] of rowsOf(join(worldDir, 'truth', 'persons.csv'))) undeclared.set(person!, Number(und));
  const header = readFileSync(join(worldDir, 'taxpayers.csv'), 'utf8').split('\n', 1)[0]!.split(',');
  const statusAt = header.indexOf('status');
  const registered = new Set<string>();
  for (const row of rowsOf(join(worldDir, 'taxpayers.csv'))) {
    const person = personOfRecord.get(`taxpayers|${row[0]}`);
    if (person && row[statusAt] === 'active') registered.add(person);
  }

  // pairs among attributed truth records, and each entity's majority person
  const byEntity = new Map<string, Map<string, number>>();
  const attributedPerPerson = new Map<string, number>();
  let members = 0;
  for (const [entity, source, key] of rowsOf(join(runDir, 'members.csv'))) {
    const person = personOfRecord.get(`${source}|${key}`);
    if (!person) continue;
    members++;
    attributedPerPerson.set(person, (attributedPerPerson.get(person) ?? 0) + 1);
    const votes = byEntity.get(entity!) ?? new Map<string, number>();
    votes.set(person, (votes.get(person) ?? 0) + 1);
    byEntity.set(entity!, votes);
  }
  let truePairs = 0;
  for (const n of attributedPerPerson.values()) truePairs += (n * (n - 1)) / 2;
  let truePositive = 0;
  for (const votes of byEntity.values()) for (const n of votes.values()) truePositive += (n * (n - 1)) / 2;
  const personOf = (entity: string): string | undefined => {
    let best: string | undefined;
    let most = 0;
    for (const [p, n] of byEntity.get(entity) ?? []) if (n > most || (n === most && p < best!)) [best, most] = [p, n];
    return best;
  };

  const cases = JSON.parse(readFileSync(join(runDir, 'cases.json'), 'utf8')) as Array<{
    rank: number;
    entity_id: string;
    reason_codes: string[];
  }>;
  const atK: RegisteredAtK[] = [];
  let examples: string[] = [];
  for (const k of ks) {
    const top = cases.filter((c) => c.rank <= k);
    const unreg = top.filter((c) => c.reason_codes.includes('UNREGISTERED_ABOVE_THRESHOLD'));
    const reg = unreg.filter((c) => registered.has(personOf(c.entity_id) ?? ''));
    const bad = reg.filter((c) => undeclared.get(personOf(c.entity_id) ?? '') === 0);
    const poss = top.filter((c) => c.reason_codes.includes('POSSIBLY_REGISTERED'));
    const right = poss.filter((c) => {
      const tax = candidates.get(c.entity_id);
      return tax !== undefined && personOfRecord.get(`taxpayers|${tax}`) === personOf(c.entity_id);
    });
    atK.push({
      k,
      unregisteredListed: unreg.length,
      registeredCompliant: bad.length,
      registered: reg.length,
      possiblyRegistered: poss.length,
      possiblyRegisteredRight: right.length,
    });
    examples = bad.map((c) => `${c.rank}:${c.entity_id}`);
  }
  return {
    attributedRecall: truePairs > 0 ? truePositive / truePairs : null,
    absentRecords: personOfRecord.size - members,
    atK,
    examples: examples.slice(0, 10),
  };
}
