/** Escaping for report.html: one function for HTML text/attributes, one for JSON in a script block. */

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example escapeHtml('<b>"Tú" & Co</b>') // '&lt;b&gt;&quot;Tú&quot; &amp; Co&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c]!);
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>`, `&`, U+2028 and U+2029 become
 * `\uXXXX` escapes, so no value can close the script element or start a comment.
 *
 * @example scriptJson({ name: '</script>' }) // '{"name":"\\u003c/script\\u003e"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}
