// Starts a simulated cluster for manual testing:
//   tsx src/sim/cli.ts <authorized_key.pub> [--nodes N] [--speed S] [--data DIR] [--vllm-port P] [--json]
// then e.g. `ssh -p <port> -i <key> spark@127.0.0.1 nvidia-smi`. Ctrl-C stops it cleanly.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSimCluster } from './index.js';

const USAGE =
  'usage: tsx src/sim/cli.ts <authorized_key.pub> [--nodes N] [--speed S] [--data DIR] [--vllm-port P] [--json]\n';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      nodes: { type: 'string', default: '2' },
      speed: { type: 'string', default: '1' },
      data: { type: 'string', default: './data/sim' },
      'vllm-port': { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const keyPath = positionals[0];
  if (values.help || !keyPath) {
    process.stderr.write(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const authorizedKeys = readFileSync(keyPath, 'utf8').split('\n').filter(Boolean);
  const sim = await startSimCluster({
    nodes: Number(values.nodes),
    speed: Number(values.speed),
    dataDir: resolve(values.data),
    authorizedKeys,
    vllmPort: Number(values['vllm-port']),
  });
  if (values.json) {
    // One machine-readable line for scripts (the benchmarks run the simulator in its own process).
    const info = {
      nodes: sim.nodes,
      vllm: sim.vllm,
      speech: sim.speech,
      embeddings: sim.embeddings,
      controlUrl: sim.controlUrl,
    };
    process.stdout.write(`${JSON.stringify(info)}\n`);
  }
  const out = [
    `simulated cluster up (data in ${resolve(values.data)})`,
    ...sim.nodes.map((n) => `  ${n.name}: ssh -p ${n.port} ${n.user}@${n.host}   mac ${n.mac}`),
    `  vLLM:    ${sim.vllm.url}/v1/models (launch with --port ${sim.vllm.port})`,
    `  Parakeet: ${sim.speech.parakeet.url}/health (${sim.speech.parakeet.container} on ${sim.speech.parakeet.node})`,
    `  Magpie:  ${sim.speech.magpie.url}/v1/health/ready (${sim.speech.magpie.container} on ${sim.speech.magpie.node})`,
    `  embeddings: ${sim.embeddings.url}/v1/embeddings`,
    `  launcher: ${sim.launcher.checkout} (origin ${sim.launcher.origin})`,
    `  control: ${sim.controlUrl}/state`,
    'Ctrl-C to stop.',
  ];
  if (!values.json) process.stdout.write(`${out.join('\n')}\n`);
  const shutdown = (): void => {
    sim.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`sim: stop failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
