// Where vLLM runs, said once: the swap launches there and the disk module deletes weights there.
import type { AppConfig, NodeConfig } from '../../config/types.js';

/**
 * The configured vLLM nodes (config order, head first) and the nodes a cluster model runs on:
 * the vLLM nodes, or — with only one — that node followed by every other configured node.
 */
export function vllmPlacement(config: AppConfig): { vllm: NodeConfig[]; cluster: NodeConfig[] } {
  const vllm = config.vllm.nodes
    .map((name) => config.nodes.find((n) => n.name === name))
    .filter((n): n is NodeConfig => n !== undefined);
  const cluster = vllm.length > 1 ? vllm : [...vllm, ...config.nodes.filter((n) => !vllm.includes(n))];
  return { vllm, cluster };
}
