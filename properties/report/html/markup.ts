/** HTML built from tagged templates: every interpolated value is escaped unless it is markup itself. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for use in element content and in quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** A fragment of markup that is already safe; only `html` makes one. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/**
 * `html\`<p title="${title}">${text}</p>\``: strings, numbers and everything else are escaped;
 * `Markup` is inserted as is; arrays are joined; `null`, `undefined` and `false` render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += piece(value) + strings[i + 1]!;
  });
  return new Markup(out);
}

function piece(value: unknown): string {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(piece).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

/** JSON for a `<pre>`: indented; `undefined` (no JSON form) shown as such. */
export const prettyJson = (value: unknown): string => JSON.stringify(value, null, 2) ?? String(value);
