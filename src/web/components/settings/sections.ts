// The config sections the page has no dedicated fields for (hardware, gateway, audio, deep_health,
// redaction, wake…): edited as YAML text, the file's own syntax. `auth` holds the admin password
// hash and tokens, so it is shown with those hidden and sent back exactly as it came.
import { parse, stringify } from 'yaml';
import { FIELD_SECTIONS, type SettingsDocument } from '../../../common/config-api.js';

/** Keys with fields of their own on the page. */
export const OWN_KEYS = new Set(FIELD_SECTIONS);

/** Sections shown but not editable here. */
export const READ_ONLY_SECTIONS = new Set(['auth']);

export function otherSectionsOf(doc: SettingsDocument): [string, unknown][] {
  return Object.entries(doc).filter(([k, v]) => !OWN_KEYS.has(k) && v !== undefined);
}

export function sectionText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

export type ParsedSection = { ok: true; value: unknown } | { ok: false; message: string };

/** The text of one section: blank removes it; otherwise it must be YAML. */
export function parseSection(text: string): ParsedSection {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: parse(text) as unknown };
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    return { ok: false, message: `is not valid YAML: ${first}` };
  }
}

const SECRET_KEY = /token|password|hash|secret|key$/i;

/** A copy with every string under a secret-sounding key replaced, for display only. */
export function hideSecrets(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) ? '(hidden)' : value;
  if (Array.isArray(value)) return value.map((v) => hideSecrets(v, key));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideSecrets(v, k)]));
  return value;
}
