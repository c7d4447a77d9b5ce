// The owner dismisses an interrupted job's notice (POST /api/jobs/{id}/dismiss), on the simulator
// over real SSH: the card and the patches panel stop reporting it, a control-plane restart does not
// bring it back, and every bad request is a 4xx with the error envelope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import type { SpeechModelsResponse } from '../../src/common/services-api.js';
import { getJson, startTestCluster, type TestCluster } from '../helpers/harness.js';
import { interruptedRestart, phaseIs as phaseIsOf, waitService, type Err } from './services-helpers.js';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ timings: { servicesIntervalMs: 250 } });
});
afterAll(async () => c?.close());

const post = <T>(path: string) => getJson<T & Partial<Err>>(`${c.url}${path}`, { method: 'POST' });
const dismiss = (id: string) => post<JobInfo>(`/api/jobs/${id}/dismiss`);
const speechModels = async () => (await getJson<SpeechModelsResponse>(`${c.url}/api/speech-models`)).body;
const phaseIs = (id: string, phase: string) => phaseIsOf(c, id, phase);

describe('dismissing an interrupted job', { timeout: 150_000 }, () => {
  it('takes the notice off the card for good, across a restart; a running job is refused', async () => {
    const id = await interruptedRestart(c, 'magpie', async (running) => {
      // Running: not dismissable, the owner cancels it instead.
      const busy = await dismiss(running);
      expect(busy.status).toBe(409);
      expect(busy.body.error).toMatchObject({ code: 'CONFLICT' });
      expect(busy.body.error?.message).toMatch(/still running; cancel it instead/);
    });

    const card = await waitService(c, 'magpie', (s) => s.last_job !== null && s.docker_state === 'running');
    expect(card.last_job).toMatchObject({ id, state: 'interrupted' });

    const res = await dismiss(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, state: 'interrupted', dismissed_at: expect.any(String) });
    await waitService(c, 'magpie', (s) => s.last_job === null);
    // Idempotent: the same answer, the first dismissal's time.
    const again = await dismiss(id);
    expect(again.status).toBe(200);
    expect(again.body.dismissed_at).toBe(res.body.dismissed_at);

    await c.restart();
    // Once the new process has looked at the container, the card would show a notice if it had one.
    const after = await waitService(
      c,
      'magpie',
      (s) => s.docker_state === 'running' && s.checked_at !== null,
    );
    expect(after.last_job).toBeNull();
    expect((await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body.dismissed_at).toBe(res.body.dismissed_at);
  });

  it('the patches panel and the Parakeet card both drop a dismissed reapply', async () => {
    c.sim.faults.parakeetUpgrade(true);
    c.sim.faults.setLatency('spark2', 400);
    const started = await post<{ job_id: string }>('/api/speech-models/reapply');
    expect(started.status).toBe(202);
    const id = started.body.job_id;
    await phaseIs(id, 'backup');
    await c.restart();
    c.sim.faults.setLatency('spark2', 0);
    expect((await speechModels()).last_job).toMatchObject({ id, state: 'interrupted' });
    await waitService(c, 'parakeet', (s) => s.last_job?.id === id);

    expect((await dismiss(id)).status).toBe(200);
    expect((await speechModels()).last_job).toBeNull();
    await waitService(c, 'parakeet', (s) => s.last_job === null);
    // A later job on the container is unaffected by the dismissal.
    const next = await post<{ ok: boolean }>('/api/speech-models/reapply?wait=1');
    expect(next.body.ok).toBe(true);
  });

  it('answers 404 for an unknown job and 400 for a malformed id', async () => {
    const missing = await dismiss('0123456789abcdef0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe('NOT_FOUND');
    for (const bad of ['..%2Fetc', 'a'.repeat(65), 'has%20space']) {
      const res = await dismiss(bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.error?.code, bad).toBeTypeOf('string');
    }
  });
});
