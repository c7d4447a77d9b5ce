// The NIM installer end to end on the simulated cluster: real SSH, real bash running the docker
// shim, the simulated nvcr.io and a fake ASR NIM serving on the published port. The NGC key is
// looked for everywhere it could leak — the control plane's own log (at trace, SSH commands
// included) too — whether the install succeeds or NGC refuses the key.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import { createLogger } from '../../src/server/platform/log.js';
import { sshExecLog } from '../../src/sim/argv-log.js';
import { getJson, waitFor } from '../helpers/harness.js';
import {
  allArgv,
  freePort,
  jobStreamText,
  nodeExec,
  type NimCluster,
  post,
  SIM_NGC_KEY,
  startNimCluster,
  waitJob,
} from './nim-helpers.js';

const IMAGE = 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest';

describe('NIM installer', () => {
  let c: NimCluster;
  /** Every line the control plane logged (its app logger and its SSH pool's). */
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  beforeAll(async () => {
    c = await startNimCluster({ logger: createLogger('trace', sink) });
  }, 60_000);
  afterAll(async () => c?.close());

  it('installs the ASR NIM end to end: phases, progress, running container, ready, registered, key nowhere', async () => {
    const port = await freePort();
    const seenArgv: string[] = [];
    const sampler = setInterval(() => {
      for (const a of allArgv()) if (a.includes(SIM_NGC_KEY)) seenArgv.push(a);
    }, 15);
    const res = await post(`${c.url}/api/nim/install`, {
      image: IMAGE,
      container: 'asr-nim',
      port,
      volume: 'nim-cache',
      env: { NIM_TAGS_SELECTOR: 'name=parakeet-1-1b-ctc-en-us,mode=ofl' },
      node: 'spark2',
    });
    expect(res.status).toBe(202);
    const id = String(res.body.job_id);
    const phases = new Set<string>();
    const progress: number[] = [];
    const job = await waitFor(
      async () => {
        const { body } = await getJson<JobInfo>(`${c.url}/api/jobs/${id}`);
        phases.add(body.phase ?? '');
        if (body.progress !== null) progress.push(body.progress);
        return body.state === 'running' ? null : body;
      },
      60_000,
      20,
    );
    clearInterval(sampler);
    const log = await jobStreamText(c, id);
    expect(job.state, log).toBe('succeeded');
    expect(job.kind).toBe('nim-install');
    expect(job.locks).toContain('container:spark2:asr-nim');
    expect([...phases]).toEqual(expect.arrayContaining(['Pulling the image']));
    expect(progress.some((p) => p > 0.05 && p < 0.8)).toBe(true);
    expect(log).toContain('Pull complete');
    expect(log).toContain('Login Succeeded');

    const ready = await fetch(`http://127.0.0.1:${port}/v1/health/ready`);
    expect(ready.status).toBe(200);
    const state = await nodeExec(
      c,
      'spark2',
      "docker inspect --format '{{.State.Status}} {{.HostConfig.RestartPolicy.Name}}' asr-nim",
    );
    expect(state.stdout.trim()).toBe('running unless-stopped');
    const owners = await nodeExec(c, 'spark2', 'cat "$SIM_STATE/volume-owners"');
    expect(owners.stdout).toContain('nim-cache\t1000:1000');
    expect(c.registered).toEqual([
      { name: 'asr-nim', kind: 'asr', node: 'spark2', port, container: 'asr-nim', api: 'nim' },
    ]);

    // The key: never in the job log, the API's answers, any command the sshd ran, or any argv.
    expect(log).not.toContain(SIM_NGC_KEY);
    const detail = await fetch(`${c.url}/api/jobs/${id}`).then((r) => r.text());
    const list = await fetch(`${c.url}/api/jobs?limit=500`).then((r) => r.text());
    const catalog = await fetch(`${c.url}/api/nim/catalog`).then((r) => r.text());
    for (const text of [detail, list, catalog, JSON.stringify(res.body)])
      expect(text).not.toContain(SIM_NGC_KEY);
    const commands = sshExecLog(c.sim.nodes[0]!.home.replace(/\/nodes\/.*$/, ''), 'spark2').map(
      (e) => e.command,
    );
    expect(commands.some((cmd) => cmd.includes('docker run -d --gpus all'))).toBe(true);
    expect(commands.join('\n')).not.toContain(SIM_NGC_KEY);
    expect(seenArgv).toEqual([]);
    // The control plane's own log saw the install (the login and the run over SSH), not the key.
    const own = logLines.join('\n');
    expect(own).toContain(id);
    expect(own).toContain('docker login');
    expect(own).toContain('docker run -d --gpus all');
    expect(own).not.toContain(SIM_NGC_KEY);
  }, 90_000);

  it('keeps the key out of every log and answer when NGC refuses it', async () => {
    const from = logLines.length;
    c.sim.faults.nimBadKey(true);
    try {
      const res = await post(`${c.url}/api/nim/install`, {
        image: IMAGE,
        container: 'bad-key-nim',
        port: await freePort(),
        volume: 'nim-cache',
        node: 'spark2',
      });
      expect(res.status).toBe(202);
      const id = String(res.body.job_id);
      const job = await waitJob(c, id);
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(/docker login nvcr\.io failed on spark2/);
      const log = await jobStreamText(c, id);
      expect(log).toContain('unauthorized');
      const detail = await fetch(`${c.url}/api/jobs/${id}`).then((r) => r.text());
      for (const text of [log, detail, JSON.stringify(res.body)]) expect(text).not.toContain(SIM_NGC_KEY);
      const own = logLines.slice(from).join('\n');
      expect(own).toContain(id);
      expect(own).toContain('docker login');
      expect(own).not.toContain(SIM_NGC_KEY);
    } finally {
      c.sim.faults.nimBadKey(false);
    }
  }, 90_000);
});
