import { collapseSpaces, type Raw } from './text.js';

// Patterns shared with the SQL macro `norm_domain` (RE2 and JS read them alike; JS needs the `u` flag).
/** A Google Play link: the package id after `id=`. */
export const PLAY_STORE_PATTERN =
  '^(?:[a-z][a-z0-9+.-]*:)?(?://)?play\\.google\\.com/store/apps/details\\?' +
  '(?:[^#]*&)?id=([a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)+)';
/** An Apple App Store link: the `id123456789` segment. */
export const APP_STORE_PATTERN = '^(?:[a-z][a-z0-9+.-]*:)?(?://)?(?:itunes|apps)\\.apple\\.com/(?:[^?#]*/)?(id[0-9]+)';
/** Scheme (`https:`) and `//` in front of a host. */
export const SCHEME_PATTERN = '^(?:[a-z][a-z0-9+.-]*:)?//';
/** Everything up to the first path, query or fragment character. */
export const HOST_PATTERN = '^[^/?#\\\\]*';
/** A host name or an Android package id (labels may hold `_`; the last starts with a letter), or an iOS `id…`. */
export const DOMAIN_PATTERN =
  '^(?:(?:[\\p{L}0-9_](?:[\\p{L}0-9_-]*[\\p{L}0-9_])?\\.)+\\p{L}[\\p{L}0-9_-]*[\\p{L}0-9_]|id[0-9]+)$';

const playStore = new RegExp(PLAY_STORE_PATTERN);
const appStore = new RegExp(APP_STORE_PATTERN);
const scheme = new RegExp(SCHEME_PATTERN);
const host = new RegExp(HOST_PATTERN);
const domain = new RegExp(DOMAIN_PATTERN, 'u');

/**
 * Website or app → host name (lower case; scheme, `www.`, port, path, query, trailing dot
 * removed) or app store id (`com.shop.app`, `id123456789`, also read out of a store link);
 * null when it is neither.
 *
 * @example normDomain('HTTPS://www.Shop-ABC.vn:8080/san-pham?id=1') // 'shop-abc.vn'
 * @example normDomain('https://play.google.com/store/apps/details?id=com.Shop.App') // 'com.shop.app'
 * @example normDomain('shop@gmail.com') // null
 */
export function normDomain(s: Raw): string | null {
  if (s == null) return null;
  const t = collapseSpaces(s).toLowerCase();
  const app = playStore.exec(t) ?? appStore.exec(t);
  if (app) return app[1]!;
  const h = host
    .exec(t.replace(scheme, ''))![0]
    .replace(/:[0-9]*$/, '')
    .replace(/\.+$/, '')
    .replace(/^www\./, '');
  return domain.test(h) ? h : null;
}
