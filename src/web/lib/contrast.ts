// WCAG 2.x contrast of colour tokens (hex), and CSS `color-mix(in srgb, …)` of two of them.
// Used by the test that keeps every pill's text readable (AA: 4.5:1 for normal text).

export type Rgb = readonly [number, number, number];

/** "#1f883d" or "#fff" → [r, g, b] in 0..255. */
export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m?.[1]) throw new Error(`not a hex colour: ${hex}`);
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as unknown as Rgb;
}

/** `color-mix(in srgb, a p%, b)`: channel-wise interpolation in gamma-encoded sRGB. */
export function mixSrgb(a: Rgb, percentA: number, b: Rgb): Rgb {
  const p = percentA / 100;
  return a.map((c, i) => c * p + (b[i] ?? 0) * (1 - p)) as unknown as Rgb;
}

const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** WCAG relative luminance. */
export function luminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio, 1..21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** WCAG AA for normal-size text (pills are 12 px). */
export const AA_NORMAL_TEXT = 4.5;
