/**
 * People: an identity (name, personal ID, phone, e-mail, home, bank accounts) is a pure function
 * of the seed and a slot, so a seller can borrow a relative's identity and the relative's own
 * records still agree with it, without the world ever being held in memory.
 */
import { Rng, Weighted, pad } from './random.js';
import { drawName, slug, stripDiacritics, type Gender, type PersonName } from './names.js';
import { birthProvinces, drawAddress, oldProvinces, residenceMagnets, type Address } from './geo.js';
import { bankAccount, banks, nationalId, phoneNumber, type BankSpec } from './identifiers.js';

export interface Account {
  bank: BankSpec;
  number: string;
}

export interface Identity {
  slot: number;
  gender: Gender;
  name: PersonName;
  birthYear: number;
  nationalId: string;
  phone: string;
  email: string;
  home: Address;
  /** Where the person lived before moving province (world knob `provinceMove`); the registry still has it. */
  oldHome?: Address;
  /** First is the main account (payouts, remittances); others mostly private. */
  accounts: Account[];
}

const bankWeights = new Weighted<BankSpec>(banks.map((b) => [b, b.weight] as const));
const mailHosts = new Weighted<string>([
  ['gmail.com', 78],
  ['yahoo.com', 7],
  ['icloud.com', 5],
  ['outlook.com', 4],
  ['hotmail.com', 3],
  ['yahoo.com.vn', 3],
]);

/**
 * The identity living in a slot. `surname` lets a seller's extra identities carry the family name.
 *
 * @example identityOf(42, 7).nationalId // 12 digits, same for every call with (42, 7)
 */
export function identityOf(seed: number, slot: number, surname?: string): Identity {
  const rng = new Rng(seed, slot, 1);
  const gender: Gender = rng.chance(0.52) ? 'F' : 'M';
  const name = drawName(rng, gender, surname);
  const birthYear = Math.max(1958, Math.min(2006, Math.round(1990 + 9 * rng.normal())));
  const born = birthProvinces.pick(rng);
  const lives = rng.chance(0.55) ? born : residenceMagnets.pick(rng);
  const home = drawAddress(rng, lives);
  const phone = phoneNumber(seed, slot);
  const email = drawEmail(rng, name, birthYear);
  const n = rng.chance(0.55) ? 1 : rng.chance(0.78) ? 2 : 3;
  const accounts: Account[] = [];
  while (accounts.length < n) {
    const bank = bankWeights.pick(rng);
    if (accounts.some((a) => a.bank === bank)) continue;
    accounts.push({ bank, number: bankAccount(seed, slot, bank, rng, phone) });
  }
  return {
    slot,
    gender,
    name,
    birthYear,
    nationalId: nationalId(seed, slot, oldProvinces[born]!.code, gender, birthYear),
    phone,
    email,
    home,
    accounts,
  };
}

function drawEmail(rng: Rng, name: PersonName, birthYear: number): string {
  const g = slug(name.given);
  const s = slug(name.surname);
  const m = slug(name.middle);
  const u = rng.next();
  const local =
    u < 0.3
      ? `${g}${s}${pad(birthYear % 100, 2)}`
      : u < 0.55
        ? `${s}${m}${g}${rng.int(1, 999)}`
        : u < 0.75
          ? `${g}.${s}${rng.int(80, 2005)}`
          : u < 0.9
            ? `${g}${m.charAt(0)}${s.charAt(0)}${rng.int(10, 99)}`
            : `${g}${s}`;
  return `${local}@${mailHosts.pick(rng)}`;
}

const asciiCache = new Map<string, string>();

/**
 * A name as banks hold it: upper case, no diacritics (cached: the name space is small).
 *
 * @example bankStyle('Nguyễn Thị Mai') // 'NGUYEN THI MAI'
 */
export function bankStyle(full: string): string {
  let s = asciiCache.get(full);
  if (s === undefined) {
    s = stripDiacritics(full).toUpperCase();
    asciiCache.set(full, s);
  }
  return s;
}

/** `P000123`: the truth file's person id for person index i. */
export function personId(i: number): string {
  return `P${pad(i, 6)}`;
}
