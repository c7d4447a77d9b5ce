// The simulator's launcher parts that launcher updates stand on: the `no-solo` launcher version,
// `docker tag` (the rollback image), and the build fault that breaks `build-and-copy.sh` midway.
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, exec, type ExecOutput, startTestCluster, type TestCluster } from './testing.js';

vi.setConfig({ testTimeout: 30_000 });
let tc: TestCluster;
let head: Client;
let second: Client;
beforeAll(async () => {
  tc = await startTestCluster({ speed: 0.02 });
  head = (await connect(tc.sim.nodes[0]!, tc.privateKey)).client;
  second = (await connect(tc.sim.nodes[1]!, tc.privateKey)).client;
});
afterAll(async () => {
  head.end();
  second.end();
  await tc.dispose();
});

const sh = (cmd: string, c: Client = head): Promise<ExecOutput> => exec(c, cmd);
const control = (path: string, body: unknown) =>
  fetch(`${tc.sim.controlUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
const imageId = async (name: string, c: Client = head): Promise<string> =>
  (await sh(`docker image inspect -f '{{.Id}}' ${name}`, c)).stdout.trim();

describe('launcher version no-solo', () => {
  it('has no --solo in its usage or its parsing, two commits behind origin/main', async () => {
    const res = await control('/launcher/version', { version: 'no-solo' });
    expect(res.status).toBe(200);
    const { sha } = (await res.json()) as { sha: string };
    try {
      const git = await sh(
        'cd ~/spark-vllm-docker && git rev-parse HEAD && git rev-list --count HEAD..origin/main',
      );
      expect(git.stdout).toBe(`${sha}\n2\n`);
      const help = await sh('cd ~/spark-vllm-docker && ./launch-cluster.sh --help');
      expect(help.code).toBe(1);
      expect(help.stdout).toMatch(/^Usage: \.\/launch-cluster\.sh .*\[-d\] \[action\] \[command\]$/m);
      expect(help.stdout).not.toContain('--solo');
      const solo = await sh('cd ~/spark-vllm-docker && ./launch-cluster.sh --solo -d exec vllm serve x');
      expect(solo.code).toBe(1);
      expect(solo.stdout).toMatch(/^Error: Unknown argument or action: --solo\nUsage:/);
    } finally {
      tc.sim.faults.launcherVersion('current');
    }
    expect((await sh('cd ~/spark-vllm-docker && ./launch-cluster.sh --help')).stdout).toContain('--solo');
  });

  it('the control route refuses an unknown version with the list of known ones', async () => {
    const res = await control('/launcher/version', { version: 'nightly' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe(
      'version must be one of "current", "legacy", "no-solo"',
    );
  });
});

describe('docker tag', () => {
  it('keeps the image under a second name; tagging back restores it after a build', async () => {
    const before = await imageId('vllm-node');
    expect((await sh('docker tag vllm-node vllm-node:rollback')).code).toBe(0);
    expect(await imageId('vllm-node:rollback')).toBe(before);
    const inspect = await sh('docker image inspect vllm-node:rollback');
    expect(JSON.parse(inspect.stdout)).toMatchObject([{ Id: before, RepoTags: ['vllm-node:rollback'] }]);
    expect((await sh('docker images')).stdout).toMatch(/^vllm-node\s+rollback\s+[0-9a-f]{12}\s/m);

    expect((await sh('cd ~/spark-vllm-docker && ./build-and-copy.sh')).code).toBe(0);
    const built = await imageId('vllm-node');
    expect(built).not.toBe(before);
    expect(await imageId('vllm-node:rollback')).toBe(before);

    expect((await sh('docker tag vllm-node:rollback vllm-node')).code).toBe(0);
    expect(await imageId('vllm-node')).toBe(before);
    expect(await imageId('vllm-node:latest')).toBe(before);
  });

  it.each([
    [
      'a missing source',
      'docker tag nothing:here x',
      /^Error response from daemon: No such image: nothing:here\n$/,
    ],
    ['one argument', 'docker tag vllm-node', /^"docker tag" requires exactly 2 arguments\./],
    ['a bad target', 'docker image tag vllm-node "Bad Name"', /invalid reference format\n$/],
  ])('fails like docker for %s', async (_name, cmd, stderr) => {
    const r = await sh(cmd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(stderr);
  });
});

describe('build fault', () => {
  it('makes build-and-copy.sh fail midway with BuildKit error lines, exit 1, no image built or copied', async () => {
    const ids = [await imageId('vllm-node'), await imageId('vllm-node', second)];
    const on = await control('/launcher/build-fault', { on: true });
    expect(on.status).toBe(200);
    expect(tc.sim.faults.faultState().buildFault).toBe(true);
    try {
      const r = await sh('cd ~/spark-vllm-docker && ./build-and-copy.sh -c');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('Building image with command: docker build -t vllm-node');
      expect(r.stdout).toMatch(
        /^#7 ERROR: process "\/bin\/sh -c cd vllm .*" did not complete successfully: exit code: 1$/m,
      );
      expect(r.stdout).toMatch(/^ERROR: failed to solve: process .* exit code: 1$/m);
      expect(r.stdout).not.toContain('Copying image');
      expect([await imageId('vllm-node'), await imageId('vllm-node', second)]).toEqual(ids);
    } finally {
      tc.sim.faults.launcherBuildFault(false);
    }
    expect((await control('/launcher/build-fault', { on: 'yes' })).status).toBe(400);
    expect((await sh('cd ~/spark-vllm-docker && ./build-and-copy.sh')).code).toBe(0);
    expect(await imageId('vllm-node')).not.toBe(ids[0]);
  });
});
