// When no cluster is configured, the built-in simulated cluster stands in for the Sparks. This
// fills the topology from the simulator's addresses — the only thing that differs from a real
// cluster; nothing else in the server knows it is talking to a simulator.
import type { AppConfig, ServiceConfig } from './types.js';

interface SimService {
  port: number;
  /** The simulated node whose container serves it. */
  node: string;
  container: string;
  /** Parakeet: the custom app or NVIDIA's ASR NIM (startSimCluster's parakeetApi). */
  api?: 'parakeet-app' | 'nim';
}

export interface SimTopology {
  nodes: { name: string; host: string; port: number; user: string; mac: string }[];
  vllm: { port: number };
  /** Parakeet and Magpie; absent in topologies built before the simulator had speech. */
  speech?: { parakeet: SimService; magpie: SimService };
  /** The simulator's embeddings server (`http://127.0.0.1:port`). */
  embeddings?: { url: string };
  /** The simulator's Qdrant (`http://127.0.0.1:port`). */
  qdrant?: { url: string };
  /** The simulated LAN's Wake-on-LAN listener (loopback); absent in topologies built before it. */
  lan?: { address: string; port: number };
}

/**
 * A simulator must never send a magic packet off this machine: its broadcast goes to the simulated
 * LAN's listener, or to loopback when there is none (whatever the config file said).
 */
function simulatedWake(config: AppConfig, sim: SimTopology): AppConfig['wake'] {
  if (sim.lan?.address.startsWith('127.'))
    return { broadcast_address: sim.lan.address, ports: [sim.lan.port] };
  return { ...config.wake, broadcast_address: '127.0.0.1' };
}

const service = (name: string, kind: ServiceConfig['kind'], s: SimService): ServiceConfig => ({
  name,
  node: s.node,
  port: s.port,
  container: s.container,
  kind,
  api: s.api ?? (kind === 'asr' ? 'parakeet-app' : 'nim'),
});

export function withSimulatedNodes(config: AppConfig, sim: SimTopology): AppConfig {
  const nodes = sim.nodes.map((n) => ({
    name: n.name,
    host: n.host,
    user: n.user,
    ssh_port: n.port,
    qsfp_ip: null,
    mac: null,
  }));
  return {
    ...config,
    simulated: true,
    nodes,
    vllm: { ...config.vllm, nodes: nodes[0] ? [nodes[0].name] : [], port: sim.vllm.port },
    // Only the simulator's own services: a configured real service would point off the simulator.
    services: sim.speech
      ? {
          parakeet: service('parakeet', 'asr', sim.speech.parakeet),
          magpie: service('magpie', 'tts', sim.speech.magpie),
        }
      : {},
    embeddings_url: sim.embeddings ? sim.embeddings.url : null,
    qdrant_url: sim.qdrant ? sim.qdrant.url : null,
    wake: simulatedWake(config, sim),
  };
}
