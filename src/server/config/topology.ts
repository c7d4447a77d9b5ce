// Turns the merged file/env settings into the resolved topology: N nodes, where vLLM runs and
// where each service runs. Nothing here assumes two nodes; the defaults only mirror the
// original layout (vLLM on the first node, speech on the second when there is one).
import type { ConfigFile } from './schema.js';
import type { AppConfig, NodeConfig, ServiceConfig } from './types.js';

type Placement = Record<string, { host?: string; user?: string; container?: string; port?: number }>;

const SPEECH_DEFAULTS: Record<string, Omit<ServiceConfig, 'name' | 'node'>> = {
  parakeet: { port: 8000, container: 'parakeet-asr', kind: 'asr' },
  magpie: { port: 9000, container: 'magpie-tts', kind: 'tts' },
};

export function resolveTopology(
  merged: ConfigFile,
  placement: Placement,
  problems: string[],
): Pick<AppConfig, 'nodes' | 'vllm' | 'services'> {
  const nodes: NodeConfig[] = (merged.nodes ?? []).map((n) => ({
    name: n.name,
    host: n.host,
    user: n.user,
    ssh_port: n.ssh_port ?? 22,
    qsfp_ip: n.qsfp_ip ?? null,
    mac: n.mac ?? null,
  }));
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n.name)) problems.push(`nodes: the name "${n.name}" is used twice`);
    seen.add(n.name);
  }
  const known = (name: string) => nodes.some((n) => n.name === name);

  const vllmNodes = merged.vllm?.nodes ?? (nodes[0] ? [nodes[0].name] : []);
  for (const n of vllmNodes) if (!known(n)) problems.push(`vllm.nodes: "${n}" is not a configured node`);
  const vllm = {
    nodes: vllmNodes,
    port: merged.vllm?.port ?? 8888,
    container: merged.vllm?.container?.trim() || 'vllm_node',
    launcher_dir: merged.vllm?.launcher_dir ?? '~/spark-vllm-docker',
  };

  const services: Record<string, ServiceConfig> = {};
  for (const [name, svc] of Object.entries(merged.services ?? {})) {
    if (!known(svc.node)) problems.push(`services.${name}.node: "${svc.node}" is not a configured node`);
    const fallback = SPEECH_DEFAULTS[name]?.container ?? name;
    services[name] = { name, ...svc, container: svc.container?.trim() || fallback };
  }
  const speechNode = nodes[1] ?? nodes[0];
  for (const [name, defaults] of Object.entries(SPEECH_DEFAULTS)) {
    const p = placement[name];
    let node = services[name]?.node ?? speechNode?.name;
    if (p?.host) {
      // PARAKEET_HOST / MAGPIE_HOST name a machine; reuse the node with that host, else add one.
      const match = nodes.find((n) => n.host === p.host && (!p.user || n.user === p.user));
      if (match) node = match.name;
      else if (!p.user && !speechNode)
        problems.push(`${name.toUpperCase()}_HOST is set but no SSH user is known`);
      else {
        nodes.push({
          name,
          host: p.host,
          user: p.user ?? speechNode!.user,
          ssh_port: 22,
          qsfp_ip: null,
          mac: null,
        });
        node = name;
      }
    }
    if (!node) continue;
    services[name] = {
      ...defaults,
      ...services[name],
      name,
      node,
      ...(p?.port !== undefined ? { port: p.port } : {}),
      ...(p?.container ? { container: p.container } : {}),
    };
  }
  return { nodes, vllm, services };
}
