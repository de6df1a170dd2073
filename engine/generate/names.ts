/**
 * Vietnamese personal names with the real spread of surnames, so that full names collide the
 * way they do in real registries, and the dirty renderings deliveries carry.
 */
import { Weighted, type Rng } from './random.js';

/** Surnames with approximate shares of the population (per cent). */
export const surnames = new Weighted<string>([
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 2.7],
  ['Huỳnh', 2.3],
  ['Phan', 4.5],
  ['Vũ', 2],
  ['Võ', 1.9],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Đinh', 0.6],
  ['Trương', 0.6],
  ['Đào', 0.4],
  ['Lâm', 0.4],
  ['Mai', 0.4],
  ['Trịnh', 0.4],
  ['Đoàn', 0.4],
  ['Hà', 0.4],
  ['Lương', 0.3],
  ['Cao', 0.3],
  ['Tạ', 0.2],
  ['Tô', 0.2],
  ['Châu', 0.2],
  ['Thái', 0.2],
  ['Lưu', 0.2],
  ['Triệu', 0.2],
  ['Phùng', 0.2],
  ['Quách', 0.1],
  ['La', 0.1],
  ['Kiều', 0.1],
  ['Tăng', 0.1],
  ['Tống', 0.1],
  ['Từ', 0.1],
  ['Âu', 0.05],
  ['Khúc', 0.05],
]);

const middleMale = new Weighted<string>([
  ['Văn', 35],
  ['Minh', 10],
  ['Đức', 8],
  ['Hữu', 8],
  ['Thanh', 6],
  ['Quốc', 6],
  ['Công', 5],
  ['Đình', 5],
  ['Quang', 5],
  ['Xuân', 4],
  ['Hoàng', 4],
  ['Ngọc', 3],
  ['Trọng', 3],
  ['Gia', 3],
  ['Thế', 3],
  ['Anh', 2],
]);
const middleFemale = new Weighted<string>([
  ['Thị', 50],
  ['Ngọc', 10],
  ['Thanh', 6],
  ['Thu', 5],
  ['Minh', 4],
  ['Kim', 4],
  ['Hồng', 4],
  ['Bảo', 3],
  ['Phương', 3],
  ['Mỹ', 3],
  ['Thùy', 3],
  ['Hoài', 2],
  ['Diệu', 2],
  ['Khánh', 2],
  ['Quỳnh', 2],
  ['Mai', 2],
]);

/** Zipf-like weights: the first names on the list are the most common. */
const zipf = (names: string[]) => new Weighted<string>(names.map((n, i) => [n, 1 / Math.pow(i + 1, 0.8)] as const));

const givenMale = zipf([
  'Anh',
  'Hùng',
  'Dũng',
  'Tuấn',
  'Minh',
  'Long',
  'Nam',
  'Hải',
  'Sơn',
  'Phong',
  'Quân',
  'Huy',
  'Khoa',
  'Thắng',
  'Trung',
  'Hiếu',
  'Đức',
  'Tài',
  'Bình',
  'Cường',
  'Hoàng',
  'Hưng',
  'Khánh',
  'Lâm',
  'Phúc',
  'Quang',
  'Tâm',
  'Thành',
  'Thịnh',
  'Toàn',
  'Trí',
  'Vinh',
  'Việt',
  'Vũ',
  'Bảo',
  'Duy',
  'Đạt',
  'Hào',
  'Kiên',
  'Lợi',
  'Nghĩa',
  'Nhân',
  'Phát',
  'Tín',
  'Tú',
  'An',
  'Khang',
  'Thiện',
]);
const givenFemale = zipf([
  'Linh',
  'Anh',
  'Trang',
  'Hương',
  'Lan',
  'Mai',
  'Ngọc',
  'Hà',
  'Thảo',
  'Huyền',
  'Hạnh',
  'Hằng',
  'Nhung',
  'Phương',
  'Trâm',
  'Vy',
  'Yến',
  'Nga',
  'Thủy',
  'Hoa',
  'Dung',
  'Giang',
  'Hiền',
  'Loan',
  'Ly',
  'My',
  'Nhi',
  'Oanh',
  'Quyên',
  'Tâm',
  'Thư',
  'Tuyết',
  'Uyên',
  'Vân',
  'Xuân',
  'Châu',
  'Diễm',
  'Hồng',
  'Kim',
  'Liên',
  'Thanh',
  'Thu',
  'Trinh',
  'Ánh',
  'Ngân',
  'Như',
  'Hân',
]);

export type Gender = 'M' | 'F';

export interface PersonName {
  surname: string;
  middle: string;
  given: string;
  /** `Nguyễn Thị Mai` */
  full: string;
}

/**
 * Draws a full name for a gender; optionally keeps a given surname (children of a family).
 *
 * @example drawName(rng, 'F').full // e.g. 'Nguyễn Thị Linh'
 */
export function drawName(rng: Rng, gender: Gender, surname?: string): PersonName {
  const s = surname ?? surnames.pick(rng);
  const m = (gender === 'M' ? middleMale : middleFemale).pick(rng);
  const g = (gender === 'M' ? givenMale : givenFemale).pick(rng);
  return { surname: s, middle: m, given: g, full: `${s} ${m} ${g}` };
}

/**
 * Removes Vietnamese diacritics (and đ → d).
 *
 * @example stripDiacritics('Nguyễn Thị Đào') // 'Nguyen Thi Dao'
 */
export function stripDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

/** Lower-case ASCII slug without spaces: `Thời trang Mai` → `thoitrangmai`. */
export function slug(s: string): string {
  return stripDiacritics(s)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * A name as a clerk or a form typed it: with or without diacritics, any case, stray spaces;
 * now and then given name first (`Mai Nguyen`) on platform sign-ups.
 *
 * @example renderName(rng, 'Nguyễn Thị Mai') // 'NGUYEN THI MAI', 'Nguyễn  Thị Mai', …
 */
export function renderName(rng: Rng, full: string, allowReorder = false): string {
  let s = full;
  if (allowReorder && rng.chance(0.04)) {
    const parts = s.split(' ');
    s = `${parts[parts.length - 1]} ${parts[0]}`;
  }
  const u = rng.next();
  if (u < 0.45) {
    // as is
  } else if (u < 0.6) s = s.toUpperCase();
  else if (u < 0.75) s = stripDiacritics(s);
  else if (u < 0.87) s = stripDiacritics(s).toUpperCase();
  else if (u < 0.93) s = s.toLowerCase();
  else s = stripDiacritics(s).toLowerCase();
  if (rng.chance(0.06)) s = s.replace(' ', '  ');
  if (rng.chance(0.04)) s = ` ${s} `;
  return s;
}

/** Buyers and payers: people outside the world (not persons of the truth file). */
export function randomPersonName(rng: Rng): string {
  return drawName(rng, rng.chance(0.55) ? 'F' : 'M').full;
}
