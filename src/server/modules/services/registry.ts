// Which services exist: the config's `services`, the matrix-bridge bot when MATRIX_BRIDGE_USER is
// set, and custom services (NIM installs) persisted in SQLite. Other modules add theirs through
// `RegisterService`; every value is validated here because it later reaches a remote shell.
import type { ServiceKind, SpeechApi } from '../../../common/services-api.js';
import type { AppConfig, ServiceConfig } from '../../config/types.js';
import { AppError } from '../../platform/http/errors.js';
import { validateContainerName, validateNodeName, validatePort } from '../../platform/remote/validators.js';
import type { CustomServiceStore } from './store.js';

export interface ServiceDef {
  name: string;
  kind: ServiceKind;
  node: string;
  container: string;
  /** HTTP port on the node; null for services without an HTTP API (the bot). */
  port: number | null;
  api: SpeechApi | null;
  /** Path of the HTTP health check; null: no HTTP health (`bot`) or none known (`not configured`). */
  health_path: string | null;
  custom: boolean;
}

/** What a module (the NIM installer) hands in to show a container as a card. */
export interface CustomServiceInput {
  name: string;
  kind: ServiceKind;
  node: string;
  container: string;
  port: number | null;
  api?: SpeechApi | null;
  health_path?: string | null;
}

/** Adds (or replaces) a custom service; throws AppError 400/409 on a bad or taken name. */
export type RegisterService = (def: CustomServiceInput) => ServiceDef;

const NAME_RE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const PATH_RE = /^\/[A-Za-z0-9._~/-]{0,200}$/;

export function validateServiceName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !NAME_RE.test(value))
    throw new AppError(
      'INVALID_INPUT',
      `${field} must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit`,
      { details: { field } },
    );
  return value;
}

export const healthPathFor = (api: SpeechApi | null): string =>
  api === 'nim' ? '/v1/health/ready' : '/health';

/** A config entry as a service: embeddings/other show as `custom` cards that are not removable. */
export function fromConfig(svc: ServiceConfig): ServiceDef {
  const speech = svc.kind === 'asr' || svc.kind === 'tts';
  const api: SpeechApi | null = svc.kind === 'asr' ? 'parakeet-app' : svc.kind === 'tts' ? 'nim' : null;
  const kind: ServiceKind =
    svc.kind === 'asr' || svc.kind === 'tts' || svc.kind === 'bot' ? svc.kind : 'custom';
  return {
    name: svc.name,
    kind,
    node: svc.node,
    container: svc.container,
    port: svc.kind === 'bot' ? null : svc.port,
    api,
    health_path: speech ? healthPathFor(api) : svc.kind === 'embeddings' ? '/health' : null,
    custom: false,
  };
}

export const MATRIX_BRIDGE = 'matrix-bridge';

/** The bot's card: docker state only; its node defaults to the first non-head node (or the only one). */
export function matrixBridgeDef(
  config: Pick<AppConfig, 'nodes' | 'vllm' | 'matrix_bridge' | 'matrix_bridge_user'>,
): ServiceDef | null {
  if (!config.matrix_bridge_user) return null;
  const head = config.vllm.nodes[0];
  const node =
    config.matrix_bridge.node ?? config.nodes.find((n) => n.name !== head)?.name ?? config.nodes[0]?.name;
  if (node === undefined) return null;
  return {
    name: MATRIX_BRIDGE,
    kind: 'bot',
    node,
    container: config.matrix_bridge.container,
    port: null,
    api: null,
    health_path: null,
    custom: false,
  };
}

export function validateCustom(input: CustomServiceInput, nodes: string[]): ServiceDef {
  const name = validateServiceName(input.name);
  const node = validateNodeName(input.node);
  if (!nodes.includes(node)) throw new AppError('INVALID_INPUT', `node "${node}" is not a configured node`);
  const api = input.api ?? null;
  const path = input.health_path ?? (input.port === null ? null : healthPathFor(api));
  if (path !== null && !PATH_RE.test(path))
    throw new AppError('INVALID_INPUT', 'health_path must be a URL path like "/v1/health/ready"');
  return {
    name,
    kind: input.kind,
    node,
    container: validateContainerName(input.container),
    port: input.port === null ? null : validatePort(input.port),
    api,
    health_path: path,
    custom: true,
  };
}

export class ServiceRegistry {
  private readonly fixed: ServiceDef[];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly config: Pick<
      AppConfig,
      'nodes' | 'vllm' | 'services' | 'matrix_bridge' | 'matrix_bridge_user'
    >,
    private readonly store: CustomServiceStore,
  ) {
    const bridge = matrixBridgeDef(config);
    this.fixed = [...Object.values(config.services).map(fromConfig), ...(bridge ? [bridge] : [])];
  }

  list(): ServiceDef[] {
    const fixed = new Set(this.fixed.map((s) => s.name));
    return [...this.fixed, ...this.store.list().filter((s) => !fixed.has(s.name))];
  }

  get(name: string): ServiceDef | null {
    return this.list().find((s) => s.name === name) ?? null;
  }

  /** 404 JSON for an unknown name (after the name itself was checked: 400 first). */
  require(name: string): ServiceDef {
    const def = this.get(validateServiceName(name, 'service name'));
    if (!def) throw new AppError('NOT_FOUND', `No service named "${name}".`);
    return def;
  }

  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  readonly addCustom: RegisterService = (input) => {
    const def = validateCustom(
      input,
      this.config.nodes.map((n) => n.name),
    );
    if (this.fixed.some((s) => s.name === def.name))
      throw new AppError('CONFLICT', `"${def.name}" is a configured service; choose another name.`);
    const clash = this.list().find(
      (s) => s.name !== def.name && s.node === def.node && s.container === def.container,
    );
    if (clash)
      throw new AppError(
        'CONFLICT',
        `Container ${def.container} on ${def.node} is already the service "${clash.name}".`,
      );
    this.store.put(def);
    this.changed();
    return def;
  };

  removeCustom(name: string): ServiceDef {
    const def = this.require(name);
    if (!def.custom)
      throw new AppError(
        'BAD_REQUEST',
        `"${name}" comes from the configuration; only installed services can be removed.`,
      );
    this.store.remove(def.name);
    this.changed();
    return def;
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}
