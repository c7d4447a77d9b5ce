// When no cluster is configured, the built-in simulated cluster stands in for the Sparks. This
// fills the topology from the simulator's addresses — the only thing that differs from a real
// cluster; nothing else in the server knows it is talking to a simulator.
import type { AppConfig } from './types.js';

export interface SimTopology {
  nodes: { name: string; host: string; port: number; user: string; mac: string }[];
  vllm: { port: number };
}

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
    // The simulator has no speech services yet, so none are configured (status says so).
    services: {},
  };
}
