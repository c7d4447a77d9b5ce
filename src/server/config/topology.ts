// Topology: N nodes, where vLLM runs and where each service runs. `checkTopology` looks at the
// raw candidate (it may also have schema problems: whatever parts are readable are checked);
// `resolveTopology` fills the defaults once everything is valid. Nothing assumes two nodes; the
// defaults only mirror the original layout (vLLM on the first node, speech on the second).
import type { ConfigFile } from './schema.js';
import type { Problem } from './problems.js';
import type { AppConfig, NodeConfig, ServiceConfig } from './types.js';

export const SPEECH_DEFAULTS: Record<string, Omit<ServiceConfig, 'name' | 'node'>> = {
  parakeet: { port: 8000, container: 'parakeet-asr', kind: 'asr' },
  magpie: { port: 9000, container: 'magpie-tts', kind: 'tts' },
};
export const DEFAULT_VLLM_PORT = 8888;

/** The API a speech service speaks when the config does not say: the seed's Parakeet app, Magpie as a NIM. */
export function defaultSpeechApi(kind: ServiceConfig['kind']): ServiceConfig['api'] {
  return kind === 'asr' ? 'parakeet-app' : kind === 'tts' ? 'nim' : undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const port = (v: unknown, fallback: number): number | undefined =>
  v === undefined ? fallback : typeof v === 'number' ? v : undefined;

/** Duplicate nodes, unknown node references and two listeners on one node's port. */
export function checkTopology(candidate: unknown, problems: Problem[]): void {
  const c = asObj(candidate);
  const nodes = Array.isArray(c.nodes) ? c.nodes.map(asObj) : [];
  const byName = new Map<string, number>();
  const byAddress = new Map<string, number>();
  nodes.forEach((n, i) => {
    const name = text(n.name);
    if (name !== undefined) {
      const first = byName.get(name);
      if (first !== undefined)
        problems.push({
          path: `nodes.${i}.name`,
          message: `"${name}" is already the name of nodes.${first}`,
        });
      else byName.set(name, i);
    }
    const host = text(n.host)?.trim().toLowerCase();
    const sshPort = port(n.ssh_port, 22);
    if (host === undefined || sshPort === undefined) return;
    const first = byAddress.get(`${host}:${sshPort}`);
    if (first !== undefined)
      problems.push({
        path: `nodes.${i}.host`,
        message: `${host} (SSH port ${sshPort}) is already nodes.${first}; each node must be a different machine`,
      });
    else byAddress.set(`${host}:${sshPort}`, i);
  });
  const known = [...byName.keys()];
  const unknown = (name: string) =>
    `"${name}" is not a configured node (${known.length > 0 ? `configured: ${known.join(', ')}` : 'no nodes are configured'})`;

  const vllm = asObj(c.vllm);
  const vllmNodes = Array.isArray(vllm.nodes) ? vllm.nodes : [];
  vllmNodes.forEach((name, i) => {
    if (typeof name !== 'string') return;
    if (!byName.has(name)) problems.push({ path: `vllm.nodes.${i}`, message: unknown(name) });
    else if (vllmNodes.indexOf(name) < i)
      problems.push({ path: `vllm.nodes.${i}`, message: `"${name}" is listed twice` });
  });

  const bridgeNode = text(asObj(c.matrix_bridge).node);
  if (bridgeNode !== undefined && known.length > 0 && !byName.has(bridgeNode))
    problems.push({ path: 'matrix_bridge.node', message: unknown(bridgeNode) });

  // Two listeners on one port of one machine: vLLM on its head node, and each configured service.
  const listeners = new Map<string, string>();
  const head = text(vllmNodes[0]) ?? known[0];
  const vllmPort = port(vllm.port, DEFAULT_VLLM_PORT);
  if (head !== undefined && vllmPort !== undefined) listeners.set(`${head}:${vllmPort}`, 'vLLM');
  for (const [name, raw] of Object.entries(asObj(c.services))) {
    const svc = asObj(raw);
    if (svc.api !== undefined && svc.kind !== 'asr' && svc.kind !== 'tts')
      problems.push({
        path: `services.${name}.api`,
        message: `only speech services (kind asr or tts) say which API they speak; this one is ${String(svc.kind)}`,
      });
    const node = text(svc.node);
    if (node === undefined) continue;
    if (!byName.has(node)) {
      problems.push({ path: `services.${name}.node`, message: unknown(node) });
      continue;
    }
    const p = port(svc.port, NaN);
    if (p === undefined || Number.isNaN(p)) continue;
    const taken = listeners.get(`${node}:${p}`);
    if (taken !== undefined)
      problems.push({
        path: `services.${name}.port`,
        message: `port ${p} on ${node} is already used by ${taken}`,
      });
    else listeners.set(`${node}:${p}`, `services.${name}`);
  }
}

export function resolveTopology(s: ConfigFile): Pick<AppConfig, 'nodes' | 'vllm' | 'services'> {
  const nodes: NodeConfig[] = (s.nodes ?? []).map((n) => ({
    name: n.name,
    host: n.host.trim(),
    user: n.user.trim(),
    ssh_port: n.ssh_port ?? 22,
    qsfp_ip: n.qsfp_ip?.trim() ?? null,
    mac: n.mac ?? null,
  }));
  const vllm = {
    nodes: s.vllm?.nodes ?? (nodes[0] ? [nodes[0].name] : []),
    port: s.vllm?.port ?? DEFAULT_VLLM_PORT,
    container: s.vllm?.container?.trim() || 'vllm_node',
    launcher_dir: s.vllm?.launcher_dir?.trim() || '~/spark-vllm-docker',
  };
  const services: Record<string, ServiceConfig> = {};
  for (const [name, svc] of Object.entries(s.services ?? {})) {
    const fallback = SPEECH_DEFAULTS[name]?.container ?? name;
    const api = svc.api ?? defaultSpeechApi(svc.kind);
    services[name] = { name, ...svc, container: svc.container?.trim() || fallback, ...(api ? { api } : {}) };
  }
  // Speech services not configured run with their defaults on the second node (or the only one).
  const speechNode = nodes[1] ?? nodes[0];
  if (speechNode)
    for (const [name, defaults] of Object.entries(SPEECH_DEFAULTS))
      services[name] ??= { ...defaults, name, node: speechNode.name, api: defaultSpeechApi(defaults.kind) };
  return { nodes, vllm, services };
}
