// Live container logs: GET /api/services/{name}/logs/stream sends the last lines and new ones as
// SSE messages with ANSI stripped; when the client leaves, the remote `docker logs -f` really stops.
// And GET /api/matrix-bridge/logs answers the recent lines as JSON.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, waitFor, type TestCluster } from '../helpers/harness.js';
import { startServicesCluster } from './services-helpers.js';

/** Processes on this machine following the container's log file of this test's simulator. */
function followers(c: TestCluster, container: string): string[] {
  const file = join(c.dataDir, 'sim', 'nodes', 'spark2', 'state', 'logs', `${container}.log`);
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(file) && /\btail\b/.test(l));
}

describe('service logs', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startServicesCluster();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('streams the log without ANSI codes, and the remote docker logs dies when the client leaves', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${c.url}/api/services/matrix-bridge/logs/stream`, { signal: ctrl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('synced 3 rooms')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('data: INFO bridge: synced 3 rooms\n');
    expect(text).toContain('data: matrix-bridge starting\n');
    expect(text).not.toContain('\u001b');
    // Still following (the container runs), until the client leaves.
    expect(followers(c, 'matrix-bridge').length).toBeGreaterThan(0);
    ctrl.abort();
    await reader.cancel().catch(() => {});
    await waitFor(() => followers(c, 'matrix-bridge').length === 0, 15_000);
  });

  it('a stream of a stopped container sends its lines and ends by itself', async () => {
    const stop = await getJson<{ job_id: string }>(`${c.url}/api/services/magpie/stop`, { method: 'POST' });
    await waitFor(
      async () =>
        (await getJson<{ state: string }>(`${c.url}/api/jobs/${stop.body.job_id}`)).body.state !== 'running',
    );
    const res = await fetch(`${c.url}/api/services/magpie/logs/stream`);
    const body = await res.text(); // ends: docker logs -f returns at once for a stopped container
    expect(body).toContain('Uvicorn running on http://0.0.0.0:9000');
    expect(body).toMatch(/event: end\ndata: \{"code":0\}/);
    await getJson(`${c.url}/api/services/magpie/start`, { method: 'POST' });
  });

  it('GET /api/matrix-bridge/logs answers recent lines as JSON', async () => {
    const r = await getJson<{ lines: string[]; container: string; node: string }>(
      `${c.url}/api/matrix-bridge/logs?tail=2`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ container: 'matrix-bridge', node: 'spark2' });
    expect(r.body.lines.length).toBeLessThanOrEqual(2);
    expect(r.body.lines.join('\n')).not.toContain('\u001b');
    expect((await getJson(`${c.url}/api/matrix-bridge/logs?tail=0`)).status).toBe(400);
  });
});
