// vLLM's state tells the truth: with the head node down it is "unreachable", never "idle".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointsResponse, StatusResponse } from '../../src/common/api.js';
import {
  getJson,
  startTestCluster,
  waitFor,
  type TestCluster,
  WATCHING_HARDWARE,
} from '../helpers/harness.js';

describe('vLLM state', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({ startSamplers: true, timings: WATCHING_HARDWARE });
  });
  afterAll(async () => {
    await c?.close();
  });

  const status = async () => (await getJson<StatusResponse>(`${c.url}/api/status`)).body;

  it('is loaded, then unreachable while the head node is down, then loaded again', async () => {
    const loaded = await waitFor(async () => ((await status()).vllm.state === 'loaded' ? status() : null));
    expect(loaded.vllm.ok).toBe(true);
    await c.sim.faults.nodeDown('spark1');
    try {
      const down = await waitFor(async () => {
        const s = await status();
        return s.vllm.state === 'unreachable' ? s : null;
      }, 20_000);
      expect(down.vllm).toMatchObject({ ok: false, model: null });
      expect(down.vllm.note ?? '').not.toMatch(/idle/);
      const ep = (await getJson<EndpointsResponse>(`${c.url}/api/endpoints`)).body;
      expect(ep.vllm.ready).toBe(false);
    } finally {
      await c.sim.faults.nodeUp('spark1');
    }
    await waitFor(async () => (await status()).vllm.state === 'loaded', 30_000);
  });
});
