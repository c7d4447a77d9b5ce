// Environment variables kept from the original system (SPEC §1), turned into the same
// structure the config file uses, so one merge handles both.
import type { ApiKeyInput, ConfigFile, NodeConfigInput } from './schema.js';
import { optionalNumber, PORT_RULE } from './numbers.js';
import { readSecurityEnv } from './security.js';

type Env = Record<string, string | undefined>;

const str = (env: Env, key: string): string | undefined => {
  const v = env[key]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

/** SPARK<n>_HOST / _USER / _QSFP_IP / _SSH_PORT / _MAC for any n — nothing assumes two nodes. */
function nodesFromEnv(env: Env, warnings: string[], problems: string[]): NodeConfigInput[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(env)) {
    const m = /^SPARK(\d+)_(HOST|USER)$/.exec(key);
    if (m && str(env, key) !== undefined) indexes.add(Number(m[1]));
  }
  const nodes: NodeConfigInput[] = [];
  for (const i of [...indexes].sort((a, b) => a - b)) {
    const host = str(env, `SPARK${i}_HOST`);
    const user = str(env, `SPARK${i}_USER`);
    if (!host) problems.push(`SPARK${i}_USER is set but SPARK${i}_HOST is empty`);
    if (!user) problems.push(`SPARK${i}_HOST is set but SPARK${i}_USER is empty`);
    if (!host || !user) continue;
    const node: NodeConfigInput = { name: `spark${i}`, host, user };
    const sshPort = optionalNumber(env[`SPARK${i}_SSH_PORT`], `SPARK${i}_SSH_PORT`, PORT_RULE, warnings);
    if (sshPort !== undefined) node.ssh_port = sshPort;
    const qsfp = str(env, `SPARK${i}_QSFP_IP`);
    if (qsfp) node.qsfp_ip = qsfp;
    const mac = str(env, `SPARK${i}_MAC`);
    if (mac) node.mac = mac;
    nodes.push(node);
  }
  return nodes;
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** GATEWAY_API_KEYS="name1:key1,name2:key2". Problems name the entry, never the key. */
function apiKeysFromEnv(raw: string, problems: string[]): ApiKeyInput[] {
  const keys: ApiKeyInput[] = [];
  raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .forEach((entry, i) => {
      const at = entry.indexOf(':');
      const name = at > 0 ? entry.slice(0, at).trim() : '';
      const key = at > 0 ? entry.slice(at + 1).trim() : '';
      if (!KEY_NAME.test(name) || key === '' || /\s/.test(key))
        problems.push(`GATEWAY_API_KEYS entry ${i + 1} must be name:key (name: letters, digits, _ . -)`);
      else keys.push({ name, key });
    });
  return keys;
}

export interface EnvOverlay {
  file: ConfigFile;
  /** Speech services placed by PARAKEET_* / MAGPIE_* (host resolved to a node later). */
  servicePlacement: Record<string, { host?: string; user?: string; container?: string; port?: number }>;
  server: { port?: number; host?: string };
}

export function readEnv(env: Env, warnings: string[], problems: string[]): EnvOverlay {
  const file: ConfigFile = {};
  const nodes = nodesFromEnv(env, warnings, problems);
  if (nodes.length > 0) file.nodes = nodes;
  const vllmPort = optionalNumber(env.VLLM_PORT, 'VLLM_PORT', PORT_RULE, warnings);
  if (vllmPort !== undefined) file.vllm = { port: vllmPort };
  const urls = {
    embeddings_url: 'EMBEDDINGS_URL',
    qdrant_url: 'QDRANT_URL',
    open_webui_url: 'OPEN_WEBUI_URL',
  } as const;
  for (const [field, key] of Object.entries(urls)) {
    const v = str(env, key);
    if (v) file[field as keyof typeof urls] = v;
  }
  const bridge = str(env, 'MATRIX_BRIDGE_USER');
  if (bridge) file.matrix_bridge_user = bridge;
  const name = str(env, 'CLUSTER_NAME');
  if (name) file.cluster_name = name;
  const hooks = str(env, 'SWAP_WEBHOOK_URLS');
  if (hooks) file.webhooks = hooks.split(/[\s,]+/).filter(Boolean);
  const ngc = str(env, 'NGC_API_KEY');
  if (ngc) file.ngc_api_key = ngc;
  const hf = str(env, 'HF_TOKEN');
  if (hf) file.hf_token = hf;
  const swapOnRequest = str(env, 'SWAP_ON_REQUEST');
  if (swapOnRequest) {
    const on = /^(1|true|yes|on)$/i.test(swapOnRequest);
    if (!on && !/^(0|false|no|off)$/i.test(swapOnRequest))
      warnings.push('SWAP_ON_REQUEST is not a yes/no value; leaving it off');
    file.gateway = { ...file.gateway, swap_on_request: on };
  }
  const gatewayKeys = str(env, 'GATEWAY_API_KEYS');
  if (gatewayKeys) file.api_keys = apiKeysFromEnv(gatewayKeys, problems);
  readSecurityEnv(env, file, problems);

  const servicePlacement: EnvOverlay['servicePlacement'] = {};
  for (const [svc, prefix] of [
    ['parakeet', 'PARAKEET'],
    ['magpie', 'MAGPIE'],
  ] as const) {
    const p = {
      host: str(env, `${prefix}_HOST`),
      user: str(env, `${prefix}_USER`),
      // An empty container name means "use the default" (the original let '' override it).
      container: str(env, `${prefix}_CONTAINER`),
      port: optionalNumber(env[`${prefix}_PORT`], `${prefix}_PORT`, PORT_RULE, warnings),
    };
    if (Object.values(p).some((v) => v !== undefined)) servicePlacement[svc] = p;
  }
  return {
    file,
    servicePlacement,
    server: {
      port: optionalNumber(env.PORT, 'PORT', { min: 0, max: 65535, integer: true }, warnings),
      host: str(env, 'HOST'),
    },
  };
}
