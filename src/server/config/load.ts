// Configuration: built-in defaults < config file (YAML) < environment. Validated once at start;
// every problem is collected so the owner fixes them all in one go.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import Value from 'typebox/value';
import { ConfigFileSchema, type ConfigFile } from './schema.js';
import { readEnv } from './env.js';
import { optionalNumber, PORT_RULE } from './numbers.js';
import { resolveTopology } from './topology.js';
import { checkSecurity, resolveSecurity } from './security.js';
import type { AppConfig } from './types.js';
import { validateHostName } from '../platform/remote/validators.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: AppConfig;
  warnings: string[];
}

type Env = Record<string, string | undefined>;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Numbers in the file get the same forgiving treatment as environment numbers. */
function coerceFileNumbers(file: Obj, warnings: string[]): void {
  const fix = (holder: unknown, key: string, label: string, rule = PORT_RULE) => {
    if (!isObj(holder) || !(key in holder)) return;
    const n = optionalNumber(holder[key], label, rule, warnings);
    if (n === undefined) delete holder[key];
    else holder[key] = n;
  };
  fix(file.vllm, 'port', 'vllm.port');
  if (Array.isArray(file.nodes)) file.nodes.forEach((n, i) => fix(n, 'ssh_port', `nodes[${i}].ssh_port`));
  if (isObj(file.services))
    for (const [name, svc] of Object.entries(file.services)) fix(svc, 'port', `services.${name}.port`);
  fix(file.hardware, 'interval_s', 'hardware.interval_s', { min: 1, max: 3600 });
  fix(file.hardware, 'history_hours', 'hardware.history_hours', { min: 1, max: 720 });
  fix(file.gateway, 'max_body_mb', 'gateway.max_body_mb', { min: 1, max: 1024 });
  fix(file.gateway, 'max_upload_mb', 'gateway.max_upload_mb', { min: 1, max: 4096 });
  fix(file.auth, 'session_hours', 'auth.session_hours', { min: 1, max: 720 });
  fix(file.gateway, 'swap_on_request_timeout_s', 'gateway.swap_on_request_timeout_s', { min: 10, max: 7200 });
}

/** Key names must be unique (stats are per name) and no key may be shared; keys never appear in messages. */
function checkApiKeys(keys: ConfigFile['api_keys'], problems: string[]): void {
  const names = new Set<string>();
  const secrets = new Set<string>();
  for (const k of keys ?? []) {
    if (k.name === 'anonymous')
      problems.push('api_keys: the name "anonymous" is reserved for requests without a key');
    if (names.has(k.name)) problems.push(`api_keys: the name "${k.name}" is used twice`);
    if (secrets.has(k.key)) problems.push(`api_keys: "${k.name}" has the same key as another entry`);
    names.add(k.name);
    secrets.add(k.key);
  }
}

function readConfigFile(path: string, problems: string[], warnings: string[]): ConfigFile {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    problems.push(`${path}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
    return {};
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isObj(parsed)) {
    problems.push(`${path}: the top level must be a mapping of settings`);
    return {};
  }
  coerceFileNumbers(parsed, warnings);
  const errors = schemaProblems(parsed, path, problems);
  return errors > 0 ? {} : (parsed as ConfigFile);
}

/** Every schema problem of `value`, one line each, prefixed with where it came from; returns the count. */
function schemaProblems(value: unknown, path: string, problems: string[]): number {
  const errors = [...Value.Errors(ConfigFileSchema, value)].filter((e) => e.keyword !== 'boolean');
  for (const e of errors) {
    const where = e.instancePath === '' ? '(top level)' : e.instancePath.slice(1).replaceAll('/', '.');
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (unknown setting: ${JSON.stringify((e.params as { additionalProperties?: string[] }).additionalProperties ?? [])})`
        : '';
    problems.push(`${path}: ${where} ${e.message}${extra}`);
  }
  return errors.length;
}

/**
 * Host names and addresses reach ssh (and the launcher's `-n` list) as arguments: a value that
 * starts with `-` would be read as an option there, so every one must be a real host name or IP.
 */
function checkHosts(nodes: ConfigFile['nodes'], problems: string[]): void {
  for (const n of nodes ?? []) {
    for (const field of ['host', 'qsfp_ip'] as const) {
      const v = n[field];
      if (v === undefined) continue;
      try {
        validateHostName(v, `nodes.${n.name}.${field}`);
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
  }
}

export function loadConfig(env: Env = process.env): LoadedConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  const configFile = resolve(env.CONFIG_FILE?.trim() || join(dataDir, 'config.yaml'));
  const file = readConfigFile(configFile, problems, warnings);
  const overlay = readEnv(env, warnings, problems);

  // Environment nodes replace file nodes of the same name and add the rest.
  const nodes = [...(file.nodes ?? [])];
  for (const n of overlay.file.nodes ?? []) {
    const i = nodes.findIndex((x) => x.name === n.name);
    if (i >= 0) nodes[i] = n;
    else nodes.push(n);
  }
  const merged: ConfigFile = {
    ...file,
    ...overlay.file,
    nodes,
    vllm: { ...file.vllm, ...overlay.file.vllm },
    gateway: { ...file.gateway, ...overlay.file.gateway },
    auth: { ...file.auth, ...overlay.file.auth },
  };
  // The environment goes through the same schema as the file (it was only parsed, not checked).
  // (No nodes at all is allowed here: that is the built-in simulated cluster.)
  const { nodes: all, ...rest } = merged;
  if (problems.length === 0)
    schemaProblems(all && all.length > 0 ? merged : rest, 'settings (file and environment)', problems);
  checkHosts(merged.nodes, problems);
  const topology = resolveTopology(merged, overlay.servicePlacement, problems);
  checkApiKeys(merged.api_keys, problems);
  checkSecurity(merged, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const config: AppConfig = {
    cluster_name: merged.cluster_name ?? 'Spark Control',
    port: overlay.server.port ?? 9999,
    host: overlay.server.host ?? '0.0.0.0',
    data_dir: dataDir,
    config_file: configFile,
    simulated: topology.nodes.length === 0,
    ...topology,
    embeddings_url: merged.embeddings_url ?? null,
    qdrant_url: merged.qdrant_url ?? null,
    open_webui_url: merged.open_webui_url ?? null,
    matrix_bridge_user: merged.matrix_bridge_user?.trim() || null,
    hardware: {
      interval_s: merged.hardware?.interval_s ?? 5,
      history_hours: merged.hardware?.history_hours ?? 24,
    },
    webhooks: merged.webhooks ?? [],
    api_keys: (merged.api_keys ?? []).map((k) => ({ name: k.name, key: k.key })),
    gateway: {
      max_body_mb: merged.gateway?.max_body_mb ?? 16,
      max_upload_mb: merged.gateway?.max_upload_mb ?? 200,
      swap_on_request: merged.gateway?.swap_on_request ?? false,
      swap_on_request_timeout_s: merged.gateway?.swap_on_request_timeout_s ?? 900,
    },
    secrets: { ngc_api_key: merged.ngc_api_key ?? null, hf_token: merged.hf_token ?? null },
    ...resolveSecurity(merged),
  };
  return { config, warnings };
}
