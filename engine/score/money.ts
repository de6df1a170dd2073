/**
 * Amounts as analysts read them: millions of VND with Vietnamese separators.
 *
 * @example formatVnd(1_234_500_000, 'vi') // '1.234,5 triệu đồng'
 */
export function formatVnd(v: number, lang: 'vi' | 'en'): string {
  const millions = v / 1e6;
  const digits = Math.abs(millions) >= 100 ? 0 : 1;
  const text = millions.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
  return lang === 'vi' ? `${text} triệu đồng` : `${text} million VND`;
}
