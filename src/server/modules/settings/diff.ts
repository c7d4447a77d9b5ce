// Which settings a save changes, and which of those the running server takes at once.
import { isDeepStrictEqual } from 'node:util';
import type { SettingsDocument } from '../../../common/config-api.js';
import { isObj } from './document.js';

/** Sections compared key by key (`vllm.port`); lists and the rest compare whole (`nodes`, `api_keys`). */
const BY_KEY = new Set([
  'vllm',
  'services',
  'secrets',
  'metrics',
  'gateway',
  'audio',
  'hardware',
  'deep_health',
  'updates',
  'wake',
  'redaction',
  'auth',
  'matrix_bridge',
  'speech_models',
]);

/** Dotted keys whose value differs between two documents (in the page's shape), sorted. */
export function changedKeys(before: SettingsDocument, after: SettingsDocument): string[] {
  const changed: string[] = [];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key];
    const y = b[key];
    if (isDeepStrictEqual(x, y)) continue;
    if (BY_KEY.has(key) && (isObj(x) || x === undefined) && (isObj(y) || y === undefined)) {
      const xs = x ?? {};
      const ys = y ?? {};
      for (const sub of new Set([...Object.keys(xs), ...Object.keys(ys)]))
        if (!isDeepStrictEqual(xs[sub], ys[sub])) changed.push(`${key}.${sub}`);
    } else changed.push(key);
  }
  return changed.sort();
}

/**
 * Keys the running server takes without a restart: each is read per request from the shared
 * config (the name and the Open WebUI link in /api/meta). Everything else is wired into modules
 * at start (SSH pools, pollers, the gateway's key table, webhook targets) and waits for a restart.
 */
export const LIVE_KEYS: ReadonlySet<string> = new Set(['cluster_name', 'open_webui_url']);

export function splitLive(changed: string[]): { applied: string[]; pending: string[] } {
  return {
    applied: changed.filter((k) => LIVE_KEYS.has(k)),
    pending: changed.filter((k) => !LIVE_KEYS.has(k)),
  };
}
