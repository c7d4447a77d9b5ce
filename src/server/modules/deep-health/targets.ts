// Which services deep health probes: the config's speech services (kind asr/tts) and vLLM, fixed
// at start, plus the speech services registered at run time (an ASR or TTS NIM installed from the
// dashboard), read from the services registry each time so an install or a removal takes effect
// without a restart. Pure: config and registry entries in, probe targets out.
import type { AppConfig } from '../../config/types.js';
import type { StatusService } from '../health/status-service.js';
import { speechHealthPath, urlHost } from '../health/status-service.js';
import type { SpeechApi } from '../../../common/services-api.js';
import type { ServiceDef } from '../services/registry.js';
import type { ProbeTarget } from './probes.js';

/** What deep health reads of a registry entry (the services module's ServiceDef). */
export type RegisteredService = Omit<ServiceDef, 'kind'> & { kind: string };

/** Names a registered service cannot take here: `loopback` is a route, not a service. */
const RESERVED = new Set(['loopback']);

/** NVIDIA's ASR NIM only takes BCP-47 (`en-US`); the seed's Parakeet app takes `en`. */
const languageFor = (api: SpeechApi | null | undefined): string => (api === 'nim' ? 'en-US' : 'en');

type HostOf = (node: string) => string | null;
type NodeHosts = readonly Pick<AppConfig['nodes'][number], 'name' | 'host'>[];

const hostLookup =
  (nodes: NodeHosts): HostOf =>
  (node) =>
    nodes.find((n) => n.name === node)?.host ?? null;

export function probeTargets(config: AppConfig, status: StatusService): ProbeTarget[] {
  const hostOf = hostLookup(config.nodes);
  const targets: ProbeTarget[] = [];
  for (const svc of Object.values(config.services)) {
    if (svc.kind !== 'asr' && svc.kind !== 'tts') continue;
    const host = hostOf(svc.node);
    const base = host ? `http://${urlHost(host)}:${svc.port}` : null;
    targets.push({
      name: svc.name,
      kind: svc.kind,
      node: svc.node,
      container: svc.container,
      baseUrl: () => base,
      healthUrl: () => (base ? `${base}${speechHealthPath(svc)}` : null),
      language: languageFor(svc.api),
    });
  }
  const head = config.vllm.nodes[0];
  if (head !== undefined) {
    const vllmBase = () => status.endpoints().vllm.base_url;
    targets.push({
      name: 'vllm',
      kind: 'vllm',
      node: head,
      container: config.vllm.container,
      baseUrl: vllmBase,
      healthUrl: () => vllmBase()?.replace(/\/v1$/, '/health') ?? null,
    });
  }
  return targets;
}

/**
 * The registered (custom) speech services as targets. Configured names win: the registry already
 * refuses a configured service's name, but not `vllm`, which would shadow vLLM's own check. A
 * service without a port, or on a node not configured, is a target that is skipped as "not
 * configured" rather than silently left out, so its card still says why it is not checked.
 */
export function registeredTargets(
  nodes: NodeHosts,
  services: readonly RegisteredService[],
  taken: ReadonlySet<string>,
): ProbeTarget[] {
  const hostOf = hostLookup(nodes);
  const targets: ProbeTarget[] = [];
  for (const s of services) {
    if (!s.custom || (s.kind !== 'asr' && s.kind !== 'tts')) continue;
    if (taken.has(s.name) || RESERVED.has(s.name)) continue;
    const host = hostOf(s.node);
    const base = host && s.port !== null ? `http://${urlHost(host)}:${s.port}` : null;
    const path = s.health_path ?? speechHealthPath({ kind: s.kind, api: s.api ?? undefined });
    targets.push({
      name: s.name,
      kind: s.kind,
      node: s.node,
      container: s.container,
      baseUrl: () => base,
      healthUrl: () => (base ? `${base}${path}` : null),
      language: languageFor(s.api),
    });
  }
  return targets;
}

/** What identifies a registered target's container: a change means its bookkeeping is another's. */
export const targetIdentity = (t: ProbeTarget): string =>
  `${t.kind} ${t.node} ${t.container} ${t.baseUrl() ?? ''}`;
