/** Formats for people (vi-VN: 1.234.567, 0,5, 24/11/2026 01:00) shared by the operations commands. */

const nf = new Intl.NumberFormat('vi-VN');
const nf1 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const dtf = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** @example formatCount(1234567) // '1.234.567' */
export const formatCount = (n: number): string => nf.format(n);

/** @example formatBytes(3_221_225_472) // '3 GiB' */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${nf1.format(v)} ${units[u]}`;
}

/** Local time of the tax office. @example formatTime('2026-11-23T18:00:00Z') // '24/11/2026 01:00' */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // ICU writes `01:00 24/11/2026` or `24/11/2026, 01:00` depending on its version: assemble the parts.
  const p = Object.fromEntries(dtf.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** @example formatAge(3.5) // '3,5 h' ; formatAge(60) // '2,5 days' */
export function formatAge(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  if (hours < 48) return `${nf1.format(hours)} h`;
  return `${nf1.format(hours / 24)} days`;
}
