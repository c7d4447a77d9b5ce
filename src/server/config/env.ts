// Environment variables kept from the original system (SPEC §1), turned into the same
// structure the config file uses, so one merge and one validation handle both. Nothing is
// checked here beyond what only the environment can get wrong (a host without a user, a
// malformed `name:key` list); `origins` records which variable set which key, so problems
// found later name the variable.
import type { ConfigFile } from './schema.js';
import type { Origins, Problem } from './problems.js';
import { readSecurityEnv } from './security.js';

type Env = Record<string, string | undefined>;
type Obj = Record<string, unknown>;

const str = (env: Env, key: string): string | undefined => {
  const v = env[key]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

/**
 * A port from the environment: blank falls back to the default with a warning (the original
 * crashed on a blank VLLM_PORT); anything else is passed on as a number when it is one, or as
 * the text itself, so validation refuses it by name instead of silently using the default.
 */
export function envPort(env: Env, key: string, warnings: string[]): number | string | undefined {
  const raw = env[key];
  if (raw === undefined) return undefined;
  const v = raw.trim();
  if (v === '') {
    warnings.push(`${key} is blank; using the default`);
    return undefined;
  }
  return /^\d{1,6}$/.test(v) ? Number(v) : v;
}

const NODE_FIELDS = { HOST: 'host', USER: 'user', QSFP_IP: 'qsfp_ip', MAC: 'mac' } as const;

/** SPARK<n>_HOST / _USER / _QSFP_IP / _SSH_PORT / _MAC for any n — nothing assumes two nodes. */
function nodesFromEnv(env: Env, warnings: string[], problems: Problem[]) {
  const indexes = new Set<number>();
  for (const key of Object.keys(env)) {
    const m = /^SPARK(\d+)_(HOST|USER)$/.exec(key);
    if (m && str(env, key) !== undefined) indexes.add(Number(m[1]));
  }
  const nodes: { node: Obj; vars: Record<string, string> }[] = [];
  for (const i of [...indexes].sort((a, b) => a - b)) {
    const prefix = `SPARK${i}_`;
    if (!str(env, `${prefix}HOST`))
      problems.push({ path: `${prefix}HOST`, message: `is empty but ${prefix}USER is set` });
    if (!str(env, `${prefix}USER`))
      problems.push({ path: `${prefix}USER`, message: `is empty but ${prefix}HOST is set` });
    if (!str(env, `${prefix}HOST`) || !str(env, `${prefix}USER`)) continue;
    const node: Obj = { name: `spark${i}` };
    const vars: Record<string, string> = {};
    for (const [suffix, field] of Object.entries(NODE_FIELDS)) {
      const v = str(env, prefix + suffix);
      if (v === undefined) continue;
      node[field] = v;
      vars[field] = prefix + suffix;
    }
    const sshPort = envPort(env, `${prefix}SSH_PORT`, warnings);
    if (sshPort !== undefined) {
      node.ssh_port = sshPort;
      vars.ssh_port = `${prefix}SSH_PORT`;
    }
    nodes.push({ node, vars });
  }
  return nodes;
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** GATEWAY_API_KEYS="name1:key1,name2:key2". Problems name the entry, never the key. */
function apiKeysFromEnv(raw: string, problems: Problem[]) {
  const keys: { name: string; key: string }[] = [];
  raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .forEach((entry, i) => {
      const at = entry.indexOf(':');
      const name = at > 0 ? entry.slice(0, at).trim() : '';
      const key = at > 0 ? entry.slice(at + 1).trim() : '';
      if (!KEY_NAME.test(name) || key === '' || /\s/.test(key))
        problems.push({
          path: `GATEWAY_API_KEYS entry ${i + 1}`,
          message: 'must be name:key (name: letters, digits, _ . -)',
        });
      else keys.push({ name, key });
    });
  return keys;
}

export interface ServicePlacement {
  host?: string;
  user?: string;
  container?: string;
  port?: number | string;
}

export interface EnvOverlay {
  /** Settings in the config file's shape (values unchecked). */
  file: Obj;
  /** Nodes from SPARK<n>_*, with the variable behind each field. */
  nodes: { node: Obj; vars: Record<string, string> }[];
  /** Speech services placed by PARAKEET_* / MAGPIE_* (host resolved to a node by the merge). */
  servicePlacement: Record<string, ServicePlacement>;
  server: { port?: number | string; host?: string };
  /** Config key (or key prefix) → the variable that set it. */
  origins: Origins;
}

export function readEnv(env: Env, warnings: string[], problems: Problem[]): EnvOverlay {
  const file: ConfigFile & Obj = {};
  const origins: Origins = new Map();
  const set = (key: string, value: unknown, variable: string) => {
    file[key] = value;
    origins.set(key, variable);
  };
  const vllmPort = envPort(env, 'VLLM_PORT', warnings);
  if (vllmPort !== undefined) {
    file.vllm = { port: vllmPort as number };
    origins.set('vllm.port', 'VLLM_PORT');
  }
  const simple = {
    embeddings_url: 'EMBEDDINGS_URL',
    qdrant_url: 'QDRANT_URL',
    open_webui_url: 'OPEN_WEBUI_URL',
    matrix_bridge_user: 'MATRIX_BRIDGE_USER',
    cluster_name: 'CLUSTER_NAME',
    ngc_api_key: 'NGC_API_KEY',
    hf_token: 'HF_TOKEN',
    qdrant_api_key: 'QDRANT_API_KEY',
  } as const;
  for (const [field, variable] of Object.entries(simple)) {
    const v = str(env, variable);
    if (v) set(field, v, variable);
  }
  const hooks = str(env, 'SWAP_WEBHOOK_URLS');
  if (hooks) set('webhooks', hooks.split(/[\s,]+/).filter(Boolean), 'SWAP_WEBHOOK_URLS');
  const swapOnRequest = str(env, 'SWAP_ON_REQUEST');
  if (swapOnRequest) {
    const on = /^(1|true|yes|on)$/i.test(swapOnRequest);
    if (!on && !/^(0|false|no|off)$/i.test(swapOnRequest))
      warnings.push('SWAP_ON_REQUEST is not a yes/no value; leaving it off');
    file.gateway = { swap_on_request: on };
    origins.set('gateway.swap_on_request', 'SWAP_ON_REQUEST');
  }
  const metricsToken = str(env, 'METRICS_TOKEN');
  if (metricsToken) {
    file.metrics = { token: metricsToken };
    origins.set('metrics.token', 'METRICS_TOKEN');
  }
  const gatewayKeys = str(env, 'GATEWAY_API_KEYS');
  if (gatewayKeys) set('api_keys', apiKeysFromEnv(gatewayKeys, problems), 'GATEWAY_API_KEYS');
  readSecurityEnv(env, file, problems, origins);

  const servicePlacement: EnvOverlay['servicePlacement'] = {};
  for (const [svc, prefix] of [
    ['parakeet', 'PARAKEET'],
    ['magpie', 'MAGPIE'],
  ] as const) {
    const p: ServicePlacement = {
      host: str(env, `${prefix}_HOST`),
      user: str(env, `${prefix}_USER`),
      // An empty container name means "use the default" (the original let '' override it).
      container: str(env, `${prefix}_CONTAINER`),
      port: envPort(env, `${prefix}_PORT`, warnings),
    };
    if (Object.values(p).some((v) => v !== undefined)) servicePlacement[svc] = p;
  }
  return {
    file,
    nodes: nodesFromEnv(env, warnings, problems),
    servicePlacement,
    server: { port: envPort(env, 'PORT', warnings), host: str(env, 'HOST') },
    origins,
  };
}
