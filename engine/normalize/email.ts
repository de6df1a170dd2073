import { collapseSpaces, type Raw } from './text.js';

/** A plain address: dotted local part, dotted host, alphabetic TLD. Shared with `norm_email`. */
export const EMAIL_PATTERN =
  "^[a-z0-9_%+'-]+(\\.[a-z0-9_%+'-]+)*@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.[a-z]{2,}$";

const email = new RegExp(EMAIL_PATTERN);

/**
 * E-mail address → trimmed lower case (a leading `mailto:` dropped), or null when invalid.
 *
 * @example normEmail('  Shop.ABC@Gmail.com ') // 'shop.abc@gmail.com'
 * @example normEmail('shop abc@gmail')        // null
 */
export function normEmail(s: Raw): string | null {
  if (s == null) return null;
  const t = collapseSpaces(s)
    .toLowerCase()
    .replace(/^mailto:/, '');
  return email.test(t) ? t : null;
}
