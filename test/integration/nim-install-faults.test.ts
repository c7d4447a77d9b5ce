// What goes wrong in a NIM install, on the simulated cluster: a key NGC refuses, no key at all,
// hostile input (refused before any SSH), a taken port, a cancel during the pull (the remote pull
// dies), and a control plane killed mid-install (the job is interrupted, the log says what is left).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import { sshExecLog } from '../../src/sim/argv-log.js';
import { getJson, waitFor } from '../helpers/harness.js';
import {
  freePort,
  jobStreamText,
  nodeExec,
  type NimCluster,
  post,
  startNimCluster,
  waitJob,
} from './nim-helpers.js';

const IMAGE = 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest';
const simDir = (c: NimCluster) => `${c.dataDir}/sim`;
const request = async (port: number, over: Record<string, unknown> = {}) => ({
  image: IMAGE,
  container: 'asr-nim',
  port,
  volume: '~/.cache/nim',
  node: 'spark2',
  ...over,
});

describe('NIM installer faults', () => {
  let c: NimCluster;
  beforeAll(async () => {
    c = await startNimCluster();
  }, 60_000);
  afterAll(async () => c?.close());

  it('refuses hostile names and values with 400 before any SSH command runs', async () => {
    const before = sshExecLog(simDir(c), 'spark2').length + sshExecLog(simDir(c), 'spark1').length;
    const port = await freePort();
    const hostile: Record<string, unknown>[] = [
      { image: 'nvcr.io/nim/x;touch /tmp/pwned' },
      { image: '$(reboot)' },
      { container: 'a b' },
      { container: '-rf' },
      { volume: '../../etc' },
      { volume: '/etc/../root' },
      { volume: 'vol;rm -rf ~' },
      { env: { 'A;B': 'x' } },
      { env: { GOOD: 'line\nbreak' } },
      { env: { NGC_API_KEY: 'mine' } },
      { env: { NIM_HTTP_API_PORT: '1' } },
      { node: 'spark3' },
      { node: 'Spark2;id' },
      { port: 70000 },
    ];
    for (const over of hostile) {
      const res = await post(`${c.url}/api/nim/install`, await request(port, over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      const err = res.body.error as { code: string; message: string };
      expect(err.message.length).toBeGreaterThan(10);
    }
    const after = sshExecLog(simDir(c), 'spark2').length + sshExecLog(simDir(c), 'spark1').length;
    expect(after).toBe(before);
  });

  it('answers 409 for a port a configured service already uses', async () => {
    const magpie = c.config.services.magpie!;
    const res = await post(`${c.url}/api/nim/install`, await request(magpie.port, { node: magpie.node }));
    expect(res.status).toBe(409);
    expect((res.body.error as { message: string }).message).toContain('service magpie');
  });

  it('fails clearly when NGC refuses the key, and leaves no container', async () => {
    await c.sim.faults.nimBadKey(true);
    try {
      const res = await post(
        `${c.url}/api/nim/install`,
        await request(await freePort(), { container: 'bad-key-nim' }),
      );
      expect(res.status).toBe(202);
      const job = await waitJob(c, String(res.body.job_id));
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(
        /docker login nvcr\.io failed on spark2: .*unauthorized: authentication required/,
      );
      expect(job.error).toContain('NGC_API_KEY');
      const ps = await nodeExec(c, 'spark2', 'docker ps -a --format "{{.Names}}"');
      expect(ps.stdout).not.toContain('bad-key-nim');
    } finally {
      c.sim.faults.nimBadKey(false);
    }
  });

  it('cancel during the pull kills the remote pull: the image never lands', async () => {
    const res = await post(
      `${c.url}/api/nim/install`,
      await request(await freePort(), {
        container: 'cancelled-nim',
        image: 'nvcr.io/nim/nvidia/riva-translate-1_6b:latest',
      }),
    );
    expect(res.status).toBe(202);
    const id = String(res.body.job_id);
    await waitFor(
      async () =>
        (await getJson<{ log_tail: string[] }>(`${c.url}/api/jobs/${id}`)).body.log_tail.some((l) =>
          l.includes('Pulling fs layer'),
        ),
      30_000,
      20,
    );
    const del = await getJson<JobInfo>(`${c.url}/api/jobs/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const job = await waitJob(c, id);
    expect(job.state).toBe('cancelled');
    // The whole pull takes ~1.1 s at this speed: wait past it; a surviving pull would register the image.
    await new Promise((r) => setTimeout(r, 2500));
    const images = await nodeExec(c, 'spark2', 'docker images --format "{{.Repository}}"');
    expect(images.stdout).not.toContain('riva-translate');
    const procs = await nodeExec(c, 'spark2', 'ps -eo args');
    expect(procs.stdout).not.toMatch(/docker pull nvcr\.io\/nim\/nvidia\/riva-translate/);
    const log = await jobStreamText(c, id);
    expect(log).toContain('no container was created');
  }, 60_000);

  it('cancel while waiting for ready removes the container it started', async () => {
    const res = await post(
      `${c.url}/api/nim/install`,
      await request(await freePort(), { container: 'never-ready', volume: 'never-cache' }),
    );
    const id = String(res.body.job_id);
    // Once the pull is done, NGC starts refusing the key: the NIM's model download fails, it never gets ready.
    await waitFor(
      async () =>
        (await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body.phase === 'Preparing the cache volume',
      60_000,
      10,
    );
    c.sim.faults.nimBadKey(true);
    try {
      await waitFor(
        async () =>
          (await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body.phase === 'Waiting for /v1/health/ready',
        30_000,
        20,
      );
      await new Promise((r) => setTimeout(r, 1500));
      expect((await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body.state).toBe('running');
      await getJson(`${c.url}/api/jobs/${id}`, { method: 'DELETE' });
      const job = await waitJob(c, id);
      expect(job.state).toBe('cancelled');
      const log = await jobStreamText(c, id);
      expect(log).toContain('Model download failed');
      expect(log).toContain('removed container never-ready');
      const ps = await nodeExec(c, 'spark2', 'docker ps -a --format "{{.Names}}"');
      expect(ps.stdout).not.toContain('never-ready');
    } finally {
      c.sim.faults.nimBadKey(false);
    }
  }, 90_000);

  it('a control plane killed mid-install: the job shows interrupted after restart and the log says what was left', async () => {
    const port = await freePort();
    const res = await post(
      `${c.url}/api/nim/install`,
      await request(port, { container: 'restart-nim', volume: 'restart-cache' }),
    );
    const id = String(res.body.job_id);
    await waitFor(
      async () =>
        (await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body.phase === 'Waiting for /v1/health/ready',
      60_000,
      20,
    );
    await c.restart();
    const job = (await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body;
    expect(job.state).toBe('interrupted');
    const log = await jobStreamText(c, id);
    expect(log).toContain(
      'container restart-nim keeps running (restart unless-stopped) but is not registered',
    );
    expect(log).toContain(
      'Spark Control is stopping: the install ends here; container restart-nim is left as it is on spark2',
    );
    const state = await nodeExec(c, 'spark2', "docker inspect --format '{{.State.Status}}' restart-nim");
    expect(state.stdout.trim()).toBe('running');
    // The lock is free again: a second install of that name is refused only because the container exists.
    const again = await post(
      `${c.url}/api/nim/install`,
      await request(port, { container: 'restart-nim', volume: 'restart-cache' }),
    );
    expect(again.status).toBe(409);
    expect((again.body.error as { message: string }).message).toContain('already exists on spark2');
  }, 90_000);
});

describe('NIM installer without an NGC key', () => {
  let c: NimCluster;
  beforeAll(async () => {
    c = await startNimCluster({ ngcKey: null });
  }, 60_000);
  afterAll(async () => c?.close());

  it('answers 400 naming the setting, before any SSH', async () => {
    const before = sshExecLog(simDir(c), 'spark2').length;
    const res = await post(`${c.url}/api/nim/install`, await request(await freePort()));
    expect(res.status).toBe(400);
    const err = res.body.error as { code: string; message: string };
    expect(err.message).toContain('NGC_API_KEY');
    expect(err.message).toContain('ngc_api_key');
    expect(sshExecLog(simDir(c), 'spark2').length).toBe(before);
  });
});
