/**
 * Places: the 63 pre-2025 provinces (with their personal-ID codes and population weights), the
 * 34 provinces they merged into, and addresses rendered the way clerks type them.
 */
import { Weighted, type Rng } from './random.js';
import { stripDiacritics } from './names.js';

export interface OldProvince {
  /** 3-digit code used as the first digits of the personal ID (province of birth registration). */
  code: string;
  name: string;
  /** The province it belongs to since the 2025 merger (one of the 34). */
  current: string;
  /** Population in millions (drives where people are born). */
  pop: number;
  /** Centrally governed city: addressed `Thành phố` / `TP.` rather than `Tỉnh`. */
  city?: boolean;
}

export const oldProvinces: readonly OldProvince[] = [
  { code: '001', name: 'Hà Nội', current: 'Hà Nội', pop: 8.4, city: true },
  { code: '002', name: 'Hà Giang', current: 'Tuyên Quang', pop: 0.9 },
  { code: '004', name: 'Cao Bằng', current: 'Cao Bằng', pop: 0.53 },
  { code: '006', name: 'Bắc Kạn', current: 'Thái Nguyên', pop: 0.32 },
  { code: '008', name: 'Tuyên Quang', current: 'Tuyên Quang', pop: 0.8 },
  { code: '010', name: 'Lào Cai', current: 'Lào Cai', pop: 0.75 },
  { code: '011', name: 'Điện Biên', current: 'Điện Biên', pop: 0.6 },
  { code: '012', name: 'Lai Châu', current: 'Lai Châu', pop: 0.46 },
  { code: '014', name: 'Sơn La', current: 'Sơn La', pop: 1.3 },
  { code: '015', name: 'Yên Bái', current: 'Lào Cai', pop: 0.83 },
  { code: '017', name: 'Hòa Bình', current: 'Phú Thọ', pop: 0.87 },
  { code: '019', name: 'Thái Nguyên', current: 'Thái Nguyên', pop: 1.3 },
  { code: '020', name: 'Lạng Sơn', current: 'Lạng Sơn', pop: 0.8 },
  { code: '022', name: 'Quảng Ninh', current: 'Quảng Ninh', pop: 1.35 },
  { code: '024', name: 'Bắc Giang', current: 'Bắc Ninh', pop: 1.9 },
  { code: '025', name: 'Phú Thọ', current: 'Phú Thọ', pop: 1.5 },
  { code: '026', name: 'Vĩnh Phúc', current: 'Phú Thọ', pop: 1.2 },
  { code: '027', name: 'Bắc Ninh', current: 'Bắc Ninh', pop: 1.5 },
  { code: '030', name: 'Hải Dương', current: 'Hải Phòng', pop: 1.9 },
  { code: '031', name: 'Hải Phòng', current: 'Hải Phòng', pop: 2.1, city: true },
  { code: '033', name: 'Hưng Yên', current: 'Hưng Yên', pop: 1.3 },
  { code: '034', name: 'Thái Bình', current: 'Hưng Yên', pop: 1.9 },
  { code: '035', name: 'Hà Nam', current: 'Ninh Bình', pop: 0.88 },
  { code: '036', name: 'Nam Định', current: 'Ninh Bình', pop: 1.8 },
  { code: '037', name: 'Ninh Bình', current: 'Ninh Bình', pop: 1.0 },
  { code: '038', name: 'Thanh Hóa', current: 'Thanh Hóa', pop: 3.7 },
  { code: '040', name: 'Nghệ An', current: 'Nghệ An', pop: 3.4 },
  { code: '042', name: 'Hà Tĩnh', current: 'Hà Tĩnh', pop: 1.3 },
  { code: '044', name: 'Quảng Bình', current: 'Quảng Trị', pop: 0.9 },
  { code: '045', name: 'Quảng Trị', current: 'Quảng Trị', pop: 0.65 },
  { code: '046', name: 'Thừa Thiên Huế', current: 'Huế', pop: 1.15 },
  { code: '048', name: 'Đà Nẵng', current: 'Đà Nẵng', pop: 1.2, city: true },
  { code: '049', name: 'Quảng Nam', current: 'Đà Nẵng', pop: 1.5 },
  { code: '051', name: 'Quảng Ngãi', current: 'Quảng Ngãi', pop: 1.25 },
  { code: '052', name: 'Bình Định', current: 'Gia Lai', pop: 1.5 },
  { code: '054', name: 'Phú Yên', current: 'Đắk Lắk', pop: 0.87 },
  { code: '056', name: 'Khánh Hòa', current: 'Khánh Hòa', pop: 1.25 },
  { code: '058', name: 'Ninh Thuận', current: 'Khánh Hòa', pop: 0.6 },
  { code: '060', name: 'Bình Thuận', current: 'Lâm Đồng', pop: 1.25 },
  { code: '062', name: 'Kon Tum', current: 'Quảng Ngãi', pop: 0.57 },
  { code: '064', name: 'Gia Lai', current: 'Gia Lai', pop: 1.6 },
  { code: '066', name: 'Đắk Lắk', current: 'Đắk Lắk', pop: 1.9 },
  { code: '067', name: 'Đắk Nông', current: 'Lâm Đồng', pop: 0.67 },
  { code: '068', name: 'Lâm Đồng', current: 'Lâm Đồng', pop: 1.33 },
  { code: '070', name: 'Bình Phước', current: 'Đồng Nai', pop: 1.03 },
  { code: '072', name: 'Tây Ninh', current: 'Tây Ninh', pop: 1.2 },
  { code: '074', name: 'Bình Dương', current: 'Hồ Chí Minh', pop: 2.7 },
  { code: '075', name: 'Đồng Nai', current: 'Đồng Nai', pop: 3.2 },
  { code: '077', name: 'Bà Rịa - Vũng Tàu', current: 'Hồ Chí Minh', pop: 1.2 },
  { code: '079', name: 'Hồ Chí Minh', current: 'Hồ Chí Minh', pop: 9.4, city: true },
  { code: '080', name: 'Long An', current: 'Tây Ninh', pop: 1.7 },
  { code: '082', name: 'Tiền Giang', current: 'Đồng Tháp', pop: 1.8 },
  { code: '083', name: 'Bến Tre', current: 'Vĩnh Long', pop: 1.3 },
  { code: '084', name: 'Trà Vinh', current: 'Vĩnh Long', pop: 1.0 },
  { code: '086', name: 'Vĩnh Long', current: 'Vĩnh Long', pop: 1.0 },
  { code: '087', name: 'Đồng Tháp', current: 'Đồng Tháp', pop: 1.6 },
  { code: '089', name: 'An Giang', current: 'An Giang', pop: 1.9 },
  { code: '091', name: 'Kiên Giang', current: 'An Giang', pop: 1.75 },
  { code: '092', name: 'Cần Thơ', current: 'Cần Thơ', pop: 1.25, city: true },
  { code: '093', name: 'Hậu Giang', current: 'Cần Thơ', pop: 0.73 },
  { code: '094', name: 'Sóc Trăng', current: 'Cần Thơ', pop: 1.2 },
  { code: '095', name: 'Bạc Liêu', current: 'Cà Mau', pop: 0.92 },
  { code: '096', name: 'Cà Mau', current: 'Cà Mau', pop: 1.2 },
];

/** The 34 provinces since the 2025 merger. */
export const currentProvinces: readonly string[] = [...new Set(oldProvinces.map((p) => p.current))];

/** Cities after the merger (addressed `Thành phố`). */
const currentCities = new Set(['Hà Nội', 'Hồ Chí Minh', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ', 'Huế']);

const byIndex = (i: number) => oldProvinces[i]!;

/** Index into `oldProvinces` of a personal-ID province code (`079` → Hồ Chí Minh). */
export function provinceIndex(code: string): number {
  const i = oldProvinces.findIndex((p) => p.code === code);
  if (i < 0) throw new Error(`unknown province code ${code}`);
  return i;
}

/** Where people are born: by population. */
export const birthProvinces = new Weighted<number>(oldProvinces.map((p, i) => [i, p.pop] as const));

/** Where online sellers live: the big cities pull people in. */
export const residenceMagnets = new Weighted<number>(
  oldProvinces.map(
    (p, i) =>
      [
        i,
        p.code === '079'
          ? 10
          : p.code === '001'
            ? 7
            : ['074', '075', '048', '031', '092', '027'].includes(p.code)
              ? 1.5
              : 0.15,
      ] as const,
  ),
);

const streets = [
  'Nguyễn Trãi',
  'Lê Lợi',
  'Trần Hưng Đạo',
  'Hai Bà Trưng',
  'Lý Thường Kiệt',
  'Quang Trung',
  'Nguyễn Huệ',
  'Lê Duẩn',
  'Phan Đình Phùng',
  'Hùng Vương',
  'Điện Biên Phủ',
  'Cách Mạng Tháng Tám',
  'Nguyễn Văn Cừ',
  'Võ Văn Kiệt',
  'Trần Phú',
  'Nguyễn Du',
  'Lê Văn Sỹ',
  'Hoàng Văn Thụ',
  'Phạm Văn Đồng',
  'Nguyễn Văn Linh',
  'Bà Triệu',
  'Lạc Long Quân',
  'Âu Cơ',
  'Nguyễn Thị Minh Khai',
  'Trường Chinh',
  'Lê Hồng Phong',
  'Tôn Đức Thắng',
  'Nguyễn Chí Thanh',
  'Phan Chu Trinh',
  'Lê Thánh Tông',
  'Ngô Quyền',
  'Chu Văn An',
  'Quốc lộ 1A',
  'Tỉnh lộ 10',
  'Đường 30 Tháng 4',
  'Nguyễn Tất Thành',
  'Huỳnh Tấn Phát',
  'Kinh Dương Vương',
];
const wardNames = [
  'Tân Phú',
  'An Phú',
  'Phú Mỹ',
  'Hòa Bình',
  'Tân Định',
  'Bình An',
  'Long Thạnh',
  'Thạnh Lộc',
  'Bến Nghé',
  'Đa Kao',
  'Hiệp Phú',
  'Tân Mai',
  'Quang Trung',
  'Trung Hòa',
  'Yên Hòa',
  'Phúc Xá',
  'Cát Linh',
  'Hòa Khánh',
  'An Hải',
  'Tân Lập',
  'Thanh Bình',
  'Phước Long',
  'Vĩnh Hải',
  'Xuân Hòa',
  'Hưng Lợi',
  'An Lạc',
  'Đông Hòa',
  'Minh Khai',
  'Phú Lợi',
  'Tân Hiệp',
  'Long Bình',
  'Hòa Thạnh',
  'Tân Sơn Nhì',
  'Bình Trị Đông',
];
/** Urban districts of the centrally governed cities (by old province code) and rural district names. */
const cityDistricts: Record<string, string[]> = {
  '079': [
    'Tân Bình',
    'Bình Thạnh',
    'Gò Vấp',
    'Thủ Đức',
    'Bình Tân',
    'Phú Nhuận',
    'Tân Phú',
    'Củ Chi',
    'Hóc Môn',
    'Nhà Bè',
  ],
  '001': [
    'Cầu Giấy',
    'Đống Đa',
    'Hoàng Mai',
    'Long Biên',
    'Thanh Xuân',
    'Hà Đông',
    'Bắc Từ Liêm',
    'Đông Anh',
    'Gia Lâm',
  ],
  '048': ['Hải Châu', 'Sơn Trà', 'Thanh Khê', 'Liên Chiểu', 'Hòa Vang'],
  '031': ['Lê Chân', 'Ngô Quyền', 'Hồng Bàng', 'Kiến An', 'An Dương'],
  '092': ['Ninh Kiều', 'Bình Thủy', 'Cái Răng', 'Phong Điền'],
};
const ruralDistricts = [
  'Châu Thành',
  'Phú Giáo',
  'Tân Uyên',
  'Long Thành',
  'Nhơn Trạch',
  'Tiên Du',
  'Yên Phong',
  'Quỳnh Lưu',
  'Diễn Châu',
  'Thọ Xuân',
  'Hải Hậu',
  'Giao Thủy',
  'Cái Bè',
  'Mỏ Cày Nam',
  'Tam Nông',
  'Krông Pắc',
  'Đức Trọng',
];

export interface Address {
  /** House number part: `12`, `45/7`, `Số 8 ngõ 12`, `Thôn 3`. */
  house: string;
  street: string;
  /** `Phường`, `Xã` or `Thị trấn`, then the name (`Phường 3`, `Xã Tân Phú`). */
  wardKind: 'Phường' | 'Xã' | 'Thị trấn';
  wardName: string;
  districtKind: 'Quận' | 'Huyện' | 'Thị xã' | 'Thành phố';
  districtName: string;
  /** Index into `oldProvinces`. */
  province: number;
}

/**
 * A plausible home address in an old province.
 *
 * @example drawAddress(rng, 49).province // 49 (Hồ Chí Minh)
 */
export function drawAddress(rng: Rng, province: number): Address {
  const p = byIndex(province);
  const urban = p.city ? rng.chance(0.85) : rng.chance(0.45);
  const house = urban
    ? rng.chance(0.3)
      ? `${rng.int(1, 400)}/${rng.int(1, 60)}`
      : rng.chance(0.15)
        ? `Số ${rng.int(1, 90)} ngõ ${rng.int(1, 300)}`
        : String(rng.int(1, 900))
    : rng.chance(0.5)
      ? `Thôn ${rng.int(1, 12)}`
      : `Ấp ${rng.pick(['Tân Thành', 'Phú Hòa', 'Long Hưng', 'Bình Lợi', 'An Thạnh', 'Mỹ Phước'])}`;
  const numberedWard = p.city && urban && rng.chance(0.35);
  return {
    house,
    street: urban ? rng.pick(streets) : '',
    wardKind: urban ? 'Phường' : rng.chance(0.85) ? 'Xã' : 'Thị trấn',
    wardName: numberedWard ? String(rng.int(1, 15)) : rng.pick(wardNames),
    districtKind: p.city ? (urban ? 'Quận' : 'Huyện') : urban ? rng.pick(['Thành phố', 'Thị xã'] as const) : 'Huyện',
    districtName: p.city
      ? urban && p.code === '079' && rng.chance(0.4)
        ? String(rng.int(1, 12))
        : rng.pick(cityDistricts[p.code] ?? ruralDistricts)
      : urban
        ? p.name
        : rng.pick(ruralDistricts),
    province,
  };
}

function maybeStrip(rng: Rng, s: string, p: number): string {
  return rng.chance(p) ? stripDiacritics(s) : s;
}

/** `Phường 3` → `P.3`, `P. 3`, `phuong 3`, `Phường 03`, … */
export function renderWard(rng: Rng, a: Address): string {
  const numbered = /^\d+$/.test(a.wardName);
  const u = rng.next();
  let s: string;
  if (a.wardKind === 'Phường') {
    if (u < 0.35) s = `Phường ${numbered && rng.chance(0.3) ? a.wardName.padStart(2, '0') : a.wardName}`;
    else if (u < 0.6) s = `P. ${a.wardName}`;
    else if (u < 0.8) s = `P.${a.wardName}`;
    else if (u < 0.9 && numbered) s = `P${a.wardName}`;
    else s = a.wardName;
  } else if (a.wardKind === 'Xã') s = u < 0.6 ? `Xã ${a.wardName}` : u < 0.8 ? `X. ${a.wardName}` : a.wardName;
  else s = u < 0.6 ? `Thị trấn ${a.wardName}` : `TT. ${a.wardName}`;
  return maybeStrip(rng, s, 0.2);
}

function renderDistrict(rng: Rng, a: Address): string {
  const u = rng.next();
  switch (a.districtKind) {
    case 'Quận':
      return u < 0.4
        ? `Quận ${a.districtName}`
        : u < 0.7
          ? `Q. ${a.districtName}`
          : /^\d+$/.test(a.districtName)
            ? `Q${a.districtName}`
            : `Q.${a.districtName}`;
    case 'Huyện':
      return u < 0.6 ? `Huyện ${a.districtName}` : `H. ${a.districtName}`;
    case 'Thị xã':
      return u < 0.6 ? `Thị xã ${a.districtName}` : `TX. ${a.districtName}`;
    default:
      return u < 0.4 ? `Thành phố ${a.districtName}` : u < 0.8 ? `TP. ${a.districtName}` : `Tp ${a.districtName}`;
  }
}

const hcmVariants = [
  'TP. Hồ Chí Minh',
  'TP.HCM',
  'Tp HCM',
  'Thành phố Hồ Chí Minh',
  'Hồ Chí Minh',
  'TP Hồ Chí Minh',
  'tp.hcm',
  'Ho Chi Minh',
];
const hanoiVariants = ['Hà Nội', 'TP. Hà Nội', 'Thành phố Hà Nội', 'Tp Hà Nội', 'Ha Noi', 'HÀ NỘI'];

/**
 * A province name as typed: the old (pre-merger) name or the current one, with or without
 * `Tỉnh` / `Thành phố` / `TP.`, with or without diacritics.
 *
 * @example renderProvince(rng, 23) // 'Nam Định', 'Tỉnh Nam Định', 'nam dinh', 'Ninh Bình', …
 */
export function renderProvince(rng: Rng, province: number, currentShare = 0.35): string {
  const p = byIndex(province);
  const name = rng.chance(currentShare) ? p.current : p.name;
  if (name === 'Hồ Chí Minh') return rng.pick(hcmVariants);
  if (name === 'Hà Nội') return rng.pick(hanoiVariants);
  const city = name === p.name ? !!p.city : currentCities.has(name);
  const u = rng.next();
  let s: string;
  if (city) s = u < 0.35 ? `TP. ${name}` : u < 0.55 ? `Thành phố ${name}` : u < 0.65 ? `Tp ${name}` : name;
  else s = u < 0.3 ? `Tỉnh ${name}` : u < 0.38 ? `T. ${name}` : name;
  s = maybeStrip(rng, s, 0.2);
  if (rng.chance(0.05)) s = s.toUpperCase();
  return s;
}

/**
 * A full one-line address: old style (house, street, ward, district, province) or the
 * post-2025 style without district and with the current province.
 *
 * @example renderAddress(rng, a) // '12 Lê Lợi, P. Bến Nghé, Q.1, TP. Hồ Chí Minh'
 */
export function renderAddress(rng: Rng, a: Address): string {
  const parts: string[] = [];
  parts.push(a.street ? `${a.house} ${a.street}` : a.house);
  parts.push(renderWard(rng, a));
  if (rng.chance(0.75)) {
    parts.push(renderDistrict(rng, a));
    parts.push(renderProvince(rng, a.province, 0.15));
  } else {
    parts.push(renderProvince(rng, a.province, 0.85));
  }
  let s = parts.join(rng.chance(0.9) ? ', ' : ' - ');
  if (rng.chance(0.12)) s = stripDiacritics(s);
  if (rng.chance(0.03)) s = s.toLowerCase();
  return s;
}

/** Shared fulfilment / drop-off addresses many unrelated senders use. */
export const warehouseAddresses: readonly { address: string; province: number }[] = [
  { address: 'Kho hàng 96 Quốc lộ 1A, P. Bình Hưng Hòa, Q. Bình Tân, TP. Hồ Chí Minh', province: provinceIndex('079') },
  { address: 'Kho trung chuyển 12 Tỉnh lộ 10, Xã Tân Phú Trung, H. Củ Chi, TP.HCM', province: provinceIndex('079') },
  { address: 'Bưu cục 45 Trường Chinh, P. 13, Q. Tân Bình, TP. Hồ Chí Minh', province: provinceIndex('079') },
  { address: 'Kho 2 KCN Sóng Thần, Dĩ An, Bình Dương', province: provinceIndex('074') },
  { address: 'Kho hàng 188 Nguyễn Văn Linh, Q. Long Biên, Hà Nội', province: provinceIndex('001') },
  { address: 'Bưu cục 31 Lê Văn Lương, Q. Thanh Xuân, TP. Hà Nội', province: provinceIndex('001') },
  { address: 'Kho ngõ 68 Phú Diễn, Q. Bắc Từ Liêm, Hà Nội', province: provinceIndex('001') },
  { address: 'Kho hàng 5 Điện Biên Phủ, Q. Thanh Khê, Đà Nẵng', province: provinceIndex('048') },
];
