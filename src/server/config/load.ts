// Configuration: built-in defaults < config file (YAML) < environment. Both sources are merged
// into one candidate and checked by `validateSettings` — the same function the dashboard's
// settings page will call — so a value is accepted or refused the same way wherever it comes
// from. Every problem is collected, so the owner fixes them all in one go.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readEnv } from './env.js';
import { mergeSources } from './merge.js';
import { optionalNumber } from './numbers.js';
import { ConfigError, locate, type Origins, type Problem } from './problems.js';
import { hostRule } from './rules.js';
import { validateSettings } from './validate.js';
import type { AppConfig, Settings } from './types.js';

export { ConfigError } from './problems.js';

export interface LoadedConfig {
  config: AppConfig;
  warnings: string[];
}

type Env = Record<string, string | undefined>;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The file's numbers get the environment's treatment: a blank one falls back to its default with
 * a warning (SPEC §1). A port written as text ('8000') is read as a number; any other bad port
 * stays as written so validation refuses it (a wrong port would point at something else).
 * Tuning numbers out of range fall back to their defaults with a warning.
 */
function coerceFileNumbers(file: Obj, warnings: string[]): void {
  const port = (holder: unknown, key: string, label: string) => {
    if (!isObj(holder) || typeof holder[key] !== 'string') return;
    const v = holder[key].trim();
    if (v === '') {
      warnings.push(`${label} is blank; using the default`);
      delete holder[key];
    } else if (/^\d{1,6}$/.test(v)) holder[key] = Number(v);
  };
  port(file.vllm, 'port', 'vllm.port');
  if (Array.isArray(file.nodes)) file.nodes.forEach((n, i) => port(n, 'ssh_port', `nodes.${i}.ssh_port`));
  if (isObj(file.services))
    for (const [name, svc] of Object.entries(file.services)) port(svc, 'port', `services.${name}.port`);
  const tune = (holder: unknown, key: string, label: string, min: number, max: number) => {
    if (!isObj(holder) || !(key in holder)) return;
    const n = optionalNumber(holder[key], label, { min, max }, warnings);
    if (n === undefined) delete holder[key];
    else holder[key] = n;
  };
  tune(file.hardware, 'interval_s', 'hardware.interval_s', 1, 3600);
  tune(file.hardware, 'history_hours', 'hardware.history_hours', 1, 720);
  tune(file.gateway, 'max_body_mb', 'gateway.max_body_mb', 1, 1024);
  tune(file.gateway, 'max_upload_mb', 'gateway.max_upload_mb', 1, 4096);
  tune(file.auth, 'session_hours', 'auth.session_hours', 1, 720);
  tune(file.deep_health, 'interval_s', 'deep_health.interval_s', 10, 86_400);
  tune(file.deep_health, 'timeout_s', 'deep_health.timeout_s', 1, 600);
  tune(file.updates, 'check_interval_minutes', 'updates.check_interval_minutes', 1, 10_080);
  tune(file.gateway, 'swap_on_request_timeout_s', 'gateway.swap_on_request_timeout_s', 10, 7200);
}

/** Reads and parses the config file (absent: empty); YAML or shape problems are added to `problems`. */
export function readConfigFile(path: string, problems: Problem[], warnings: string[]): Obj {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    problems.push({ path, message: `is not valid YAML (${(e as Error).message.split('\n')[0]})` });
    return {};
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isObj(parsed)) {
    problems.push({ path, message: 'must be a mapping of settings at the top level' });
    return {};
  }
  coerceFileNumbers(parsed, warnings);
  return parsed;
}

/** PORT and HOST: where this server listens (0 = any free port). Environment only. */
function serverSettings(server: { port?: number | string; host?: string }, problems: Problem[]) {
  const port = server.port ?? 9999;
  if (typeof port !== 'number' || !Number.isInteger(port) || port > 65535)
    problems.push({
      path: 'PORT',
      message: `must be a whole number between 0 and 65535 (got ${JSON.stringify(port)})`,
    });
  const host = server.host ?? '0.0.0.0';
  const badHost = hostRule(host);
  if (badHost !== null) problems.push({ path: 'HOST', message: badHost });
  return { port: port as number, host };
}

/** Where the data and the config file are (DATA_DIR, CONFIG_FILE). */
export function configPaths(env: Env): { dataDir: string; configFile: string } {
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  return { dataDir, configFile: resolve(env.CONFIG_FILE?.trim() || join(dataDir, 'config.yaml')) };
}

export interface CheckedSettings {
  /** The file merged with the environment, in the file's shape (unchecked values kept as they are). */
  candidate: Obj;
  /** Config key (or prefix) → the environment variable that set it. */
  origins: Origins;
  /** Problems of the merged settings, at their config keys (not yet renamed to variables). */
  problems: Problem[];
  /** The resolved settings when there is no problem. */
  settings: Settings | null;
}

/**
 * The settings a config-file document gives once merged with the environment: the one merge and
 * validation start-up runs, shared with the settings page's PUT /api/config.
 */
export function checkSettings(file: Obj, env: Env, warnings: string[] = []): CheckedSettings {
  const problems: Problem[] = [];
  const overlay = readEnv(env, warnings, problems);
  const { candidate, origins } = mergeSources(file, overlay, problems);
  const result = validateSettings(candidate);
  if (!result.ok) problems.push(...result.problems);
  return {
    candidate,
    origins,
    problems,
    settings: result.ok && problems.length === 0 ? result.config : null,
  };
}

export function loadConfig(env: Env = process.env): LoadedConfig {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const { dataDir, configFile } = configPaths(env);
  const file = readConfigFile(configFile, problems, warnings);
  const overlay = readEnv(env, warnings, problems);
  const { candidate, origins } = mergeSources(file, overlay, problems);
  const server = serverSettings(overlay.server, problems);
  const result = validateSettings(candidate);
  if (!result.ok) problems.push(...result.problems.map((p) => locate(p, origins)));
  if (!result.ok || problems.length > 0) {
    const from = existsSync(configFile) ? `${configFile} and the environment` : 'the environment';
    throw new ConfigError(problems, `configuration (from ${from})`);
  }
  const config: AppConfig = {
    ...result.config,
    ...server,
    data_dir: dataDir,
    config_file: configFile,
    simulated: result.config.nodes.length === 0,
  };
  return { config, warnings };
}
