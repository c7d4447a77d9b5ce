// The scraper of the metrics benchmark (bench/metrics.ts), in a process of its own with nothing
// else in its heap, as Prometheus is to the control plane: one keep-alive connection, the bearer
// token, the body read to its last byte, wall time from the request to that byte.
// Why its own process: run from the bench's driver, the scraper shared a heap of ~50 MB (every
// bench module, faker, the app's dependencies) and each response's buffers (external memory) kept
// asking V8 for a full mark-compact of it — 10 ms pauses plus 20–30 ms of marking on the second
// core, landing in the scraper's wall time, the server's scheduling and the constant reference.
// `node --import tsx bench/metrics-scraper.ts <url> <token>` prints `{}` once ready, then answers
// one JSON line per command line on stdin: { id, path, runs, pauseMs? } → { id, …measure() }.
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { measure } from './metrics-measure.js';

const [base, token] = process.argv.slice(2);
if (!base || !token) throw new Error('usage: metrics-scraper.ts <url> <token>');
const url = new URL(base);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

const get = (path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('error', reject);
        res.on('end', () => {
          const length = Number(res.headers['content-length'] ?? bytes);
          if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
          else if (bytes !== length || bytes === 0) reject(new Error(`${path}: ${bytes} of ${length} bytes`));
          else resolve(bytes);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });

process.stdout.write('{}\n');
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const c = JSON.parse(line) as { id: number; path: string; runs: number; pauseMs?: number };
  // One command at a time, in order (the driver waits for each answer).
  queue = queue.then(async () => {
    try {
      if (c.runs === 0) await get(c.path); // a warm-up request, untimed
      const m = c.runs > 0 ? await measure(c.runs, () => get(c.path), { pauseMs: c.pauseMs }) : {};
      process.stdout.write(`${JSON.stringify({ id: c.id, ...m })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ id: c.id, error: String(err) })}\n`);
    }
  });
});
lines.on('close', () => void queue.then(() => agent.destroy()));
