// The weights a lived-in demo cluster holds at start: every model of the bundled catalog
// (assets/models.yaml; a unit test keeps this list in step) on the nodes it runs on — solo models
// on the head, cluster models on every node — except the cluster model on the second node, so the
// demo shows a "Download" and a swap refused before anything stops. Written as the `hf` shim would
// leave a finished download (src/sim/hf-cache.ts hubRepo): sparse, complete, the Hub's blob names.
import { writeHubRepo } from './hf-cache.js';

export interface DemoModel {
  repo: string;
  mode: 'solo' | 'cluster';
}

export const DEMO_MODELS: readonly DemoModel[] = [
  { repo: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8', mode: 'solo' },
  { repo: 'nvidia/Qwen3.6-35B-A3B-NVFP4', mode: 'solo' },
  { repo: 'nvidia/Gemma-4-26B-A4B-NVFP4', mode: 'solo' },
  { repo: 'openai/gpt-oss-120b', mode: 'solo' },
  { repo: 'RedHatAI/Qwen3-235B-A22B-Instruct-2507-NVFP4', mode: 'cluster' },
];

/** The one demo model left off the second node (so the dashboard offers its download there). */
export const DEMO_MISSING = { repo: 'RedHatAI/Qwen3-235B-A22B-Instruct-2507-NVFP4', nodeIndex: 1 } as const;

/** Which demo repos each node holds at start (nodes in order, head first). */
export function demoPlacement(nodes: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const m of DEMO_MODELS) {
    const on = m.mode === 'solo' ? nodes.slice(0, 1) : nodes;
    on.forEach((n) => {
      const i = nodes.indexOf(n);
      if (m.repo === DEMO_MISSING.repo && i === DEMO_MISSING.nodeIndex) return;
      out.get(n)!.push(m.repo);
    });
  }
  return out;
}

/** Writes the demo weights into each node's home (`homes[i]` is node `nodes[i]`'s). */
export function seedDemoWeights(nodes: readonly string[], homes: readonly string[]): void {
  for (const [node, repos] of demoPlacement(nodes)) {
    const home = homes[nodes.indexOf(node)]!;
    for (const repo of repos) writeHubRepo(home, repo);
  }
}
