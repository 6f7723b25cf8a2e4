/** Escaping for the markup the report writes itself; client code uses textContent. */

/** Text or attribute value safe inside HTML or SVG markup. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;');
}

/**
 * JSON that can sit inside a `<script type="application/json">` element: `<` is
 * written as an escape so no `</script>` or `<!--` can end or change the element
 * (HTML Standard, script data state), and the two line separators JSON allows but
 * JavaScript once did not are escaped too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
