// A clean shutdown with dashboards connected: every event stream gets a last "server_shutdown"
// event and ends, so closing the app does not wait on its clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';

/** Reads an SSE response until it ends; returns every `data:` payload. */
async function readAll(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice('data: '.length));
}

describe('shutdown with clients connected', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({ startSamplers: true });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('sends server_shutdown on every open stream and closes without waiting on them', async () => {
    const streams = await Promise.all([1, 2, 3].map(() => fetch(`${c.url}/api/events`)));
    const bodies = streams.map((s) => readAll(s));
    // The streams are open (the current state arrived) before the app closes.
    await waitFor(() => streams.every((s) => s.status === 200));
    await c.app.close();
    for (const messages of await Promise.all(bodies)) {
      const last = JSON.parse(messages.at(-1)!) as { type: string; data: { reason: string } };
      expect(last).toMatchObject({
        type: 'server_shutdown',
        data: { reason: expect.stringMatching(/restarting/) },
      });
    }
    // The harness can still restart a fresh app on the same data afterwards.
    await c.restart();
    expect((await fetch(`${c.url}/api/meta`)).status).toBe(200);
  });
});
