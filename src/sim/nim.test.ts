// The simulated nvcr.io and NIM runtime through the docker shim over real SSH: login with the key
// on stdin, pull output as the CLI prints it without a terminal, volumes, and a NIM container that
// is ready only with the right key in its environment.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SIM_NGC_KEY } from './nim.js';
import { exec, runOk, twoNodeCluster } from './testing.js';

const cluster = twoNodeCluster({ speed: 0.02 });
const IMAGE = 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us';

/** A loopback port free right now (the fake NIM binds it). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  return typeof addr === 'object' && addr ? addr.port : 0;
}

describe('simulated NIMs', () => {
  it('docker login checks the password from stdin; nim-bad-key refuses every key', async () => {
    const login = "docker login nvcr.io -u '$oauthtoken' --password-stdin";
    const wrong = await exec(cluster.second, login, 'nvapi-wrong\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('unauthorized: authentication required');
    const ok = await exec(cluster.second, login, `${SIM_NGC_KEY}\n`);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('Login Succeeded\n');
    cluster.tc.sim.faults.nimBadKey(true);
    try {
      expect((await exec(cluster.second, login, `${SIM_NGC_KEY}\n`)).code).toBe(1);
    } finally {
      cluster.tc.sim.faults.nimBadKey(false);
    }
  });

  it('docker pull needs a login, prints layer status lines without a terminal, then records the image', async () => {
    await exec(cluster.head, 'docker logout nvcr.io');
    const denied = await exec(cluster.head, `docker pull ${IMAGE}`);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /^Error response from daemon: Head "https:\/\/nvcr\.io\/v2\/.*unauthorized/,
    );
    await exec(cluster.head, "docker login nvcr.io -u '$oauthtoken' --password-stdin", SIM_NGC_KEY);
    const out = (await runOk(cluster.head, `docker pull ${IMAGE}`)).split('\n');
    expect(out[0]).toBe('latest: Pulling from nim/nvidia/parakeet-1-1b-ctc-en-us');
    expect(out.filter((l) => /^[0-9a-f]{12}: Pulling fs layer$/.test(l))).toHaveLength(5);
    expect(out.filter((l) => /^[0-9a-f]{12}: Pull complete$/.test(l))).toHaveLength(5);
    expect(out.some((l) => l.includes('Downloading ['))).toBe(false);
    expect(out.at(-2)).toBe(`${IMAGE}:latest`);
    expect(out).toContain(`Status: Downloaded newer image for ${IMAGE}:latest`);
    expect(await runOk(cluster.head, "docker images --format '{{.Repository}}'")).toContain(IMAGE);
    const again = await runOk(cluster.head, `docker pull ${IMAGE}:latest`);
    expect(again).toContain('Status: Image is up to date');
  });

  it('volumes: create, inspect, and chown inside a container records the owner', async () => {
    expect(await runOk(cluster.head, 'docker volume create nim-cache')).toBe('nim-cache\n');
    const [vol] = JSON.parse(await runOk(cluster.head, 'docker volume inspect nim-cache'));
    expect(vol).toMatchObject({ Name: 'nim-cache', Driver: 'local' });
    const missing = await exec(cluster.head, 'docker volume inspect nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such volume');
    await runOk(
      cluster.head,
      `docker run --rm --user 0:0 --entrypoint chown -v nim-cache:/opt/nim/.cache ${IMAGE} -R 1000:1000 /opt/nim/.cache`,
    );
    expect(await runOk(cluster.head, 'cat "$SIM_STATE/volume-owners"')).toContain('nim-cache\t1000:1000');
  });

  it('a NIM container serves on its published port, ready only with the key in its environment', async () => {
    const [port, other] = [await freePort(), await freePort()];
    const run = (name: string, p: number, key: string) =>
      exec(
        cluster.head,
        `IFS= read -r NGC_API_KEY; export NGC_API_KEY; docker run -d --gpus all --restart unless-stopped -p ${p}:${p} -e NIM_HTTP_API_PORT=${p} -v nim-cache:/opt/nim/.cache -e NGC_API_KEY --name ${name} ${IMAGE}`,
        `${key}\n`,
      );
    expect((await run('good-nim', port, SIM_NGC_KEY)).code).toBe(0);
    const ready = async (p: number) => (await fetch(`http://127.0.0.1:${p}/v1/health/ready`)).status;
    await expect.poll(() => ready(port), { timeout: 10_000 }).toBe(200);
    const inspect = JSON.parse(await runOk(cluster.head, 'docker inspect good-nim'));
    expect(inspect[0].HostConfig.RestartPolicy.Name).toBe('unless-stopped');
    expect((await run('bad-nim', other, 'nvapi-not-it')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(await ready(other)).toBe(503);
    expect(await runOk(cluster.head, 'docker logs bad-nim')).toContain('Model download failed');
    await runOk(cluster.head, 'docker rm -f good-nim bad-nim');
  });

  it('an installed Magpie NIM synthesizes as the configured one does (a deep check\'s "hi" passes)', async () => {
    const port = await freePort();
    const magpie = 'nvcr.io/nim/nvidia/magpie-tts-multilingual';
    expect((await exec(cluster.head, `docker pull ${magpie}`)).code).toBe(0);
    const run = await exec(
      cluster.head,
      `IFS= read -r NGC_API_KEY; export NGC_API_KEY; docker run -d --gpus all -p ${port}:${port} -e NIM_HTTP_API_PORT=${port} -e NGC_API_KEY --name tts-nim ${magpie}`,
      `${SIM_NGC_KEY}\n`,
    );
    expect(run.code).toBe(0);
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/v1/health/ready`)).status, { timeout: 10_000 })
      .toBe(200);
    const form = new FormData();
    form.append('text', 'hi');
    form.append('language', 'en-US');
    const res = await fetch(`${base}/v1/audio/synthesize`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await res.arrayBuffer()).toString('latin1', 0, 4)).toBe('RIFF');
    await runOk(cluster.head, 'docker rm -f tts-nim');
  });
});
