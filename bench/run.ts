// `npm run bench [-- <name>…]`: performance figures measured side by side in one run. Not tests:
// these machines are shared and noisy, so figures are printed and written to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { audioBench } from './audio.js';
import { deepHealthBench } from './deep-health.js';
import { diskBench } from './disk.js';
import { downloadProgressBench } from './download-progress.js';
import { gatewayBench, gatewayProfile } from './gateway.js';
import { gatewaySplitBench } from './gateway-split.js';
import { guardOverhead } from './guard-overhead.js';
import { hardwareBench } from './hardware.js';
import { hardwareUnderLoad } from './hardware-load.js';
import { metricsBench } from './metrics.js';
import { redactionBench } from './redaction.js';
import { redactChatBench } from './redaction-chat.js';
import { slowUploadsBench } from './slow-uploads.js';
import { servicesBench } from './services.js';
import { speechBench } from './speech.js';
import { swapBench } from './swap.js';

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  hardware: hardwareBench,
  swap: swapBench,
  gateway: gatewayBench,
  // The 256-stream level against the gateway only, with `node --cpu-prof` on the control plane.
  'gateway-profile': gatewayProfile,
  // The gateway's CPU above the splice floor, per request vs per chunk (2- and 64-token streams).
  'gateway-split': gatewaySplitBench,
  'slow-uploads': slowUploadsBench,
  // The /api/hardware and /api/status load part of `hardware` on its own.
  'hardware-load': hardwareUnderLoad,
  // The guard+auth part of `hardware` on its own (seconds instead of minutes).
  guard: guardOverhead,
  speech: speechBench,
  // Parakeet 500 on a gateway request → docker restart issued; a flapping service within budget.
  'deep-health': deepHealthBench,
  services: servicesBench,
  // Issue 11: merge of a 90-minute transcript, global clustering of 18 chunks × 4 speakers.
  audio: audioBench,
  // disk-status from the snapshot (20 models × 16 nodes) and the refresh over 16 vs 2 nodes.
  disk: diskBench,
  // A download onto 2 nodes: node printed a progress line → the event on the job's SSE stream.
  'download-progress': downloadProgressBench,
  // Issue 13: scrub MB/s and p99 per 4 KB document (+ the streaming rehydrator, bench/redaction-stream.ts).
  redaction: redactionBench,
  // Issue 13: TTFT the redacting chat route adds over the plain gateway route (and its CPU).
  'redaction-chat': redactChatBench,
  // Issue 14: a /metrics scrape over 16 nodes, 10 services, 5 API keys (from snapshots, no SSH).
  metrics: metricsBench,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
const outDir = new URL('./results/', import.meta.url);
mkdirSync(outDir, { recursive: true });

for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name} ==`);
  const result = { bench: name, at: new Date().toISOString(), ...(await bench()) };
  writeFileSync(new URL(`${name}.json`, outDir), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written to bench/results/${name}.json`);
}
process.exit(0);
