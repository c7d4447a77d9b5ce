// Every pill's text against its background, in both themes, read from the stylesheets themselves.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AA_NORMAL_TEXT, contrastRatio, mixSrgb, parseHex } from './contrast.js';

const css = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');
const styles = css('styles.css');
const llm = css('llm.css');

/** The custom properties of the first `:root { … }` block in `text`. */
function tokens(text: string): Record<string, string> {
  const block = /:root\s*{([^}]*)}/.exec(text)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2]?.trim()]));
}

const dark = tokens(styles);
const lightBlock = styles.slice(styles.indexOf('@media (prefers-color-scheme: light)'));
const themes = { dark, light: { ...dark, ...tokens(lightBlock) } };

/** The colour token a pill rule sets as its text colour, e.g. `.pill-ok { color: var(--ok) }`. */
function pillTextToken(text: string, selector: string): string {
  const rule = new RegExp(`\\${selector}\\s*{([^}]*)}`).exec(text)?.[1] ?? '';
  const token = /(?:^|;|\s)color:\s*var\((--[\w-]+)\)/.exec(rule)?.[1];
  if (!token) throw new Error(`no text colour in ${selector}`);
  return token;
}

const PILLS: [string, string][] = [
  ['.pill', styles],
  ['.pill-muted', styles],
  ['.pill-ok', styles],
  ['.pill-danger', styles],
  ['.pill-info', styles],
  ['.pill-warn', llm],
  ['.pill-accent', llm],
];

describe('contrast maths', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio(parseHex('#000'), parseHex('#fff'))).toBeCloseTo(21, 5);
    expect(contrastRatio(parseHex('#777777'), parseHex('#ffffff'))).toBeCloseTo(4.48, 2);
    expect(mixSrgb(parseHex('#ffffff'), 50, parseHex('#000000'))).toEqual([127.5, 127.5, 127.5]);
  });
});

describe.each(Object.entries(themes))('pill text in the %s theme', (_theme, t) => {
  const color = (token: string) => parseHex(t[token] ?? `missing ${token}`);
  // Every pill paints its own background (so the card under it does not matter).
  it('pills have an opaque background of their own', () => {
    expect(/\.pill\s*{[^}]*background:\s*var\(--surface-2\)/.exec(styles)).not.toBeNull();
  });
  it.each(PILLS)('%s meets AA (4.5:1) on the pill background', (selector, sheet) => {
    const token = pillTextToken(sheet, selector);
    expect(contrastRatio(color(token), color('--surface-2'))).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });
  it('the strong green "loaded" pill meets AA on its tinted background', () => {
    const mix =
      /\.pill-strong\.pill-ok\s*{[^}]*color-mix\(in srgb, var\(--ok\) (\d+)%, var\(--surface-2\)\)/.exec(llm);
    expect(mix?.[1]).toBeDefined();
    const bg = mixSrgb(color('--ok'), Number(mix?.[1]), color('--surface-2'));
    expect(contrastRatio(color('--ok'), bg)).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });
});
