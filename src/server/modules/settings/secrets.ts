// Secrets are write-only on the settings page: answers carry SECRET_MASK where one is set, and a
// PUT that sends SECRET_MASK back keeps the stored value. Listed secrets (API keys, admin tokens)
// are matched by their name, so reordering, adding or removing rows keeps the others' secrets.
import {
  FILE_SECRETS,
  SECRET_MASK,
  type SettingsDocument,
  type SettingsProblem,
} from '../../../common/config-api.js';
import { isObj } from './document.js';

type Obj = Record<string, unknown>;

/** Single secrets: [section or null for the top level, key]. */
const SINGLE: [string, string][] = [
  ...FILE_SECRETS.map((k): [string, string] => ['secrets', k]),
  ['metrics', 'token'],
  ['auth', 'admin_password_hash'],
];
/** Listed secrets: [path of the list, field holding the secret]. */
const LISTED: [string[], string][] = [
  [['api_keys'], 'key'],
  [['auth', 'admin_tokens'], 'token'],
];

const listAt = (doc: Obj, path: string[]): unknown[] | undefined => {
  const holder = path.length === 1 ? doc : doc[path[0]!];
  const list = isObj(holder) ? holder[path.at(-1)!] : undefined;
  return Array.isArray(list) ? list : undefined;
};

/** A copy with every secret replaced by SECRET_MASK (set) or null (unset). */
export function maskDocument(doc: SettingsDocument): SettingsDocument {
  const out = structuredClone(doc) as Obj;
  for (const [section, key] of SINGLE) {
    const holder = out[section];
    if (!isObj(holder) || !(key in holder)) continue;
    const v = holder[key];
    holder[key] = typeof v === 'string' && v !== '' ? SECRET_MASK : null;
  }
  for (const [path, field] of LISTED)
    for (const row of listAt(out, path) ?? []) if (isObj(row) && field in row) row[field] = SECRET_MASK;
  return out as SettingsDocument;
}

/**
 * The submitted document with every SECRET_MASK replaced by the stored secret it stands for.
 * A mask with nothing stored behind it (a new API key row sent masked) is a problem at its field.
 */
export function unmaskDocument(
  submitted: SettingsDocument,
  stored: SettingsDocument,
): { doc: SettingsDocument; problems: SettingsProblem[] } {
  const doc = structuredClone(submitted) as Obj;
  const from = stored as Obj;
  const problems: SettingsProblem[] = [];
  for (const [section, key] of SINGLE) {
    const holder = doc[section];
    if (!isObj(holder) || holder[key] !== SECRET_MASK) continue;
    const kept = isObj(from[section]) ? from[section][key] : undefined;
    if (typeof kept === 'string' && kept !== '') holder[key] = kept;
    else delete holder[key];
  }
  for (const [path, field] of LISTED) {
    const storedByName = new Map<unknown, unknown>();
    for (const row of listAt(from, path) ?? []) if (isObj(row)) storedByName.set(row.name, row[field]);
    (listAt(doc, path) ?? []).forEach((row, i) => {
      if (!isObj(row) || row[field] !== SECRET_MASK) return;
      const kept = storedByName.get(row.name);
      if (typeof kept === 'string') row[field] = kept;
      else
        problems.push({
          path: [...path, i, field].join('.'),
          message: `no ${field} is stored for "${String(row.name)}" yet; enter one`,
        });
    });
  }
  return { doc: doc as SettingsDocument, problems };
}
