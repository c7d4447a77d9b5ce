// The install request checked before anything reaches a Spark: every value that will be part of a
// remote command passes a whitelist here (and `sh` still quotes it at the sink). Hostile input is a
// 400 naming the field; a port another configured listener owns is a 409.
import type { NimInstallRequest, ServiceKind } from '../../../common/services-api.js';
import { AppError } from '../../platform/http/errors.js';
import {
  validateContainerName,
  validateImage,
  validateNodeName,
  validatePath,
  validatePort,
} from '../../platform/remote/validators.js';
import { validateServiceName } from '../services/registry.js';
import { catalogEntryFor } from './catalog.js';

export interface ValidInstall {
  image: string;
  container: string;
  port: number;
  /** A docker volume name, or a host path (absolute or `~/…`). */
  volume: { kind: 'named' | 'path'; value: string };
  /** Extra `-e K=V` for the container, in a stable order (NGC_API_KEY is never here). */
  env: [string, string][];
  node: string;
  register: boolean;
  kind: ServiceKind;
}

/** What the request is checked against: configured nodes and who listens where. */
export interface InstallContext {
  nodes: string[];
  /** Listeners on each node (vLLM, configured and registered services): a port taken is a 409. */
  portsInUse(node: string): { port: number; owner: string }[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** Control characters (C0, DEL, C1) and line/paragraph separators never belong in an env value. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const MAX_ENV = 64;
const KINDS: ServiceKind[] = ['asr', 'tts', 'nim', 'custom'];

const bad = (field: string, message: string): AppError =>
  new AppError('INVALID_INPUT', `${field} ${message}`, { details: { field } });

export function validateVolume(value: unknown): ValidInstall['volume'] {
  if (typeof value === 'string' && VOLUME_NAME.test(value.trim()))
    return { kind: 'named', value: value.trim() };
  if (typeof value === 'string' && /^[/~]/.test(value.trim())) {
    const path = validatePath(value, 'volume');
    if (path === '/' || path === '~') throw bad('volume', 'must not be the root or home directory itself');
    return { kind: 'path', value: path };
  }
  throw bad(
    'volume',
    `must be a docker volume name (letters, digits, '_', '.', '-') or a host path like ~/.cache/nim (got ${JSON.stringify(value)?.slice(0, 60)})`,
  );
}

export function validateEnv(value: unknown): [string, string][] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value))
    throw bad('env', 'must be an object of NAME: "value"');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ENV) throw bad('env', `may hold at most ${MAX_ENV} variables`);
  return entries
    .map(([name, v]): [string, string] => {
      if (!ENV_NAME.test(name))
        throw bad(
          `env.${name.slice(0, 40)}`,
          "is not a variable name (letters, digits, '_'; not starting with a digit)",
        );
      if (name === 'NGC_API_KEY')
        throw bad(
          'env.NGC_API_KEY',
          'is set from the NGC key setting (ngc_api_key / NGC_API_KEY), never in a request',
        );
      if (typeof v !== 'string') throw bad(`env.${name}`, 'must be a string');
      if (v.length > 4096) throw bad(`env.${name}`, 'is longer than 4096 characters');
      if (CONTROL.test(v)) throw bad(`env.${name}`, 'must not contain control characters or line breaks');
      return [name, v];
    })
    .sort(([a], [b]) => a.localeCompare(b));
}

export function validateInstall(req: NimInstallRequest, ctx: InstallContext): ValidInstall {
  const image = validateImage(req.image);
  const container = validateContainerName(req.container);
  const register = req.register_service !== false;
  // A registered NIM's card is named after its container: refused now, not in the install's last step
  // (after a pull of several GB) with a container left running unregistered.
  if (register) registrableName(container, 'container');
  const port = validatePort(req.port);
  const node = validateNodeName(req.node);
  if (!ctx.nodes.includes(node))
    throw bad('node', `"${node}" is not a configured node (configured: ${ctx.nodes.join(', ') || 'none'})`);
  const volume = validateVolume(req.volume);
  const env = validateEnv(req.env);
  if (req.kind !== undefined && !KINDS.includes(req.kind))
    throw bad('kind', `must be one of ${KINDS.join(', ')}`);
  const inner = env.find(([k]) => k === 'NIM_HTTP_API_PORT')?.[1];
  if (inner !== undefined && inner !== String(port))
    throw bad(
      'env.NIM_HTTP_API_PORT',
      `must equal port (${port}): the container is published as ${port}:${port}`,
    );
  const taken = ctx.portsInUse(node).find((p) => p.port === port);
  if (taken)
    throw new AppError(
      'CONFLICT',
      `port ${port} on ${node} is already used by ${taken.owner}; choose another port`,
      {
        details: { field: 'port' },
      },
    );
  return {
    image,
    container,
    port,
    volume,
    env,
    node,
    register,
    kind: req.kind ?? catalogEntryFor(image)?.kind ?? 'nim',
  };
}

/** The service name a registered container gets (its own); a 400 saying why when it cannot be one. */
export function registrableName(container: string, field: string): string {
  try {
    return validateServiceName(container, field);
  } catch {
    throw bad(
      field,
      `"${container}" cannot name a service card (1-64 lowercase letters, digits, '.', '_' or '-'): ` +
        'use a lowercase container name, or install with register_service: false',
    );
  }
}
