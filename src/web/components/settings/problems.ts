// Where a server problem (`nodes.1.host: …`) or an environment variable's hold on a key shows on
// the page: beside the field with that dotted key, else beside the nearest row or section that
// contains it, else in the list at the top of the page.
import { FILE_SECRETS, type SettingsProblem } from '../../../common/config-api.js';
import { serviceRowPath, type SettingsForm } from './form.js';

/** The file keeps these secrets at the top level; the page (and the API document) under `secrets`. */
const ALIASES: Record<string, string> = Object.fromEntries(FILE_SECRETS.map((k) => [k, `secrets.${k}`]));

/** `/nodes/1/host` (JSON pointer) and `ngc_api_key` (file key) → the page's dotted key. */
export function normalizePath(path: string): string {
  const dotted = path.startsWith('/') ? path.slice(1).split('/').join('.') : path;
  const [head, ...rest] = dotted.split('.');
  const alias = head !== undefined ? ALIASES[head] : undefined;
  return alias ? [alias, ...rest].join('.') : dotted;
}

/** Every prefix of a dotted key, longest first: `a.b.c`, `a.b`, `a`. */
function prefixes(path: string): string[] {
  const parts = path.split('.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
}

/** The environment variable that sets this key (or a section containing it), if any. */
export function envFor(path: string, env: Record<string, string>): string | undefined {
  const normalized: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) normalized[normalizePath(k)] = v;
  for (const p of prefixes(path)) if (normalized[p]) return normalized[p];
  return undefined;
}

/** A variable that sets this key or anything inside it (a node row with SPARK2_HOST on its host). */
export function envWithin(path: string, env: Record<string, string>): string | undefined {
  const direct = envFor(path, env);
  if (direct) return direct;
  const inside = Object.keys(env).find((k) => normalizePath(k).startsWith(`${path}.`));
  return inside === undefined ? undefined : env[inside];
}

export interface PlacedProblems {
  /** Dotted key of a field, row or section → its messages. */
  at: Map<string, string[]>;
  /** Problems no field, row or section of the page holds. */
  unplaced: SettingsProblem[];
}

export function placeProblems(problems: SettingsProblem[], known: Set<string>): PlacedProblems {
  const at = new Map<string, string[]>();
  const unplaced: SettingsProblem[] = [];
  for (const p of problems) {
    const home = prefixes(normalizePath(p.path)).find((k) => known.has(k));
    if (home === undefined) unplaced.push(p);
    else at.set(home, [...(at.get(home) ?? []), p.message]);
  }
  return { at, unplaced };
}

const NODE_FIELDS = ['name', 'host', 'user', 'ssh_port', 'qsfp_ip', 'mac'];
const SERVICE_FIELDS = ['node', 'port', 'container', 'kind', 'api'];

/** Every dotted key the form shows a field, row or section for. */
export function knownPaths(form: SettingsForm): Set<string> {
  const keys = [
    'cluster_name',
    'nodes',
    'vllm',
    'vllm.nodes',
    'vllm.port',
    'vllm.container',
    'vllm.launcher_dir',
    'services',
    'embeddings_url',
    'qdrant_url',
    'open_webui_url',
    'matrix_bridge_user',
    'webhooks',
    'api_keys',
    ...FILE_SECRETS.map((k) => `secrets.${k}`),
    'metrics.token',
  ];
  form.nodes.forEach((_, i) => keys.push(`nodes.${i}`, ...NODE_FIELDS.map((f) => `nodes.${i}.${f}`)));
  for (const s of form.services) {
    const row = serviceRowPath(s);
    keys.push(row, ...SERVICE_FIELDS.map((f) => `${row}.${f}`));
  }
  form.webhooks.forEach((_, i) => keys.push(`webhooks.${i}`));
  form.api_keys.forEach((_, i) =>
    keys.push(`api_keys.${i}`, `api_keys.${i}.name`, `api_keys.${i}.key`, `api_keys.${i}.always_redact`),
  );
  for (const o of form.other) keys.push(o.key);
  return new Set(keys);
}
