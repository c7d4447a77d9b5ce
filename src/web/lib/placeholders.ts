// Splits scrubbed text into plain runs and placeholders, so the tester can highlight each
// placeholder the server put in (only those it reported, not look-alikes in the text).

export type TextPart = { kind: 'text'; text: string } | { kind: 'placeholder'; text: string; type: string };

export function splitPlaceholders(
  text: string,
  found: readonly { placeholder: string; type: string }[],
): TextPart[] {
  const types = new Map(found.map((f) => [f.placeholder, f.type]));
  if (types.size === 0) return text ? [{ kind: 'text', text }] : [];
  const parts: TextPart[] = [];
  let at = 0;
  for (const m of text.matchAll(/\[[A-Z][A-Z0-9_]*_[0-9]+\]/g)) {
    const type = types.get(m[0]);
    if (type === undefined) continue;
    if (m.index > at) parts.push({ kind: 'text', text: text.slice(at, m.index) });
    parts.push({ kind: 'placeholder', text: m[0], type });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}
