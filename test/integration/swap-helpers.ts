// Shared by the swap integration tests: requests, waiting for a swap's end, the swap's SSE `end`
// event, and the stop commands the head node's sshd ran (the simulator logs every exec).
import { join } from 'node:path';
import type { JobInfo, SwapInfo } from '../../src/common/api.js';
import { sshExecLog } from '../../src/sim/argv-log.js';
import type { StatusResponse } from '../../src/common/api.js';
import {
  getJson,
  startTestCluster,
  waitFor,
  type TestCluster,
  type TestClusterOptions,
} from '../helpers/harness.js';

export type Err = { error: { code: string; message: string } };

export const post = <T>(url: string, body?: unknown) =>
  getJson<T>(url, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

/** Anything with the control plane's URL: the in-process harness or the split cluster. */
type Plane = Pick<TestCluster, 'url'>;

export const swapInfo = async (c: Plane, id: string) =>
  (await getJson<SwapInfo>(`${c.url}/api/swap/${id}`)).body;

export const inState = (c: Plane, id: string, state: SwapInfo['state'], timeoutMs = 45_000) =>
  waitFor(async () => (await swapInfo(c, id)).state === state, timeoutMs, 50);

export async function finished(c: Plane, id: string, timeoutMs = 60_000): Promise<SwapInfo> {
  return waitFor(async () => {
    const s = await swapInfo(c, id);
    return ['ready', 'failed', 'cancelled'].includes(s.state) ? s : null;
  }, timeoutMs);
}

/** Opens the swap's SSE stream now; resolves with the job carried by its final `end` event. */
export function streamEnd(c: TestCluster, id: string): Promise<JobInfo> {
  return (async () => {
    const res = await fetch(`${c.url}/api/swap/${id}/stream`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended without an end event');
      text += decoder.decode(value, { stream: true });
      for (const block of text.split('\n\n')) {
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trim())
          .join('\n');
        if (!data.includes('"type":"end"')) continue;
        await reader.cancel();
        return (JSON.parse(data) as { job: JobInfo }).job;
      }
    }
  })();
}

/** `launch-cluster.sh … stop` commands the head's sshd ran since `since` (ISO time). */
export function stopsSince(c: TestCluster, since: string): number {
  return sshExecLog(join(c.dataDir, 'sim'), c.sim.nodes[0]!.name).filter(
    (e) => e.ts >= since && /launch-cluster\.sh stop/.test(e.command),
  ).length;
}

/** A test cluster whose vLLM already serves its default model. */
export async function startServingCluster(o: Pick<TestClusterOptions, 'timings'> = {}): Promise<TestCluster> {
  const c = await startTestCluster({ speed: 0.05, ...o });
  await waitFor(async () => (await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm.model !== null);
  return c;
}
