// The matrix-bridge clone and `docker compose up -d --build`, and `docker restart` taking time
// (stopped meanwhile, a new StartedAt, RestartCount unchanged as in dockerd), as the services module sees them.
import { describe, expect, it } from 'vitest';
import { exec, runOk, twoNodeCluster } from './testing.js';

// Slow enough that a restart's stop and start are seen from another command (0.5: ~1 s).
const cluster = twoNodeCluster({ speed: 0.5 });
const state = async () =>
  (
    await runOk(
      cluster.second,
      "docker inspect -f '{{.State.Status}} {{.RestartCount}} {{.State.StartedAt}}' magpie-tts",
    )
  )
    .trim()
    .split(' ');

describe('matrix-bridge on the speech node', () => {
  it('is a clean clone of its origin with a compose file, and its container runs', async () => {
    expect(
      await runOk(
        cluster.second,
        'cd "$HOME"/matrix-bridge && git status --porcelain && git rev-parse --abbrev-ref @{u}',
      ),
    ).toBe('origin/main\n');
    expect(await runOk(cluster.second, 'cat "$HOME"/matrix-bridge/docker-compose.yml')).toContain(
      'container_name: matrix-bridge',
    );
    expect(
      await runOk(cluster.second, "docker ps --format '{{.Names}} {{.State}}' --filter name=matrix"),
    ).toBe('matrix-bridge running\n');
  });

  it('docker compose up -d --build builds a new image and recreates the container', async () => {
    const before = await runOk(cluster.second, "docker inspect -f '{{.Id}} {{.Image}}' matrix-bridge");
    const r = await exec(cluster.second, 'cd "$HOME"/matrix-bridge && docker compose up -d --build');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[\+\] Building .* FINISHED/);
    expect(r.stderr).toContain('Container matrix-bridge  Recreated');
    expect(r.stderr).toContain('Container matrix-bridge  Started');
    const after = await runOk(cluster.second, "docker inspect -f '{{.Id}} {{.Image}}' matrix-bridge");
    const [id0, img0] = before.trim().split(' ');
    const [id1, img1] = after.trim().split(' ');
    expect(id1).not.toBe(id0);
    expect(img1).not.toBe(img0);
    expect(await runOk(cluster.second, "docker ps --format '{{.State}}' --filter name=matrix-bridge")).toBe(
      'running\n',
    );
  });

  it('compose without a compose file fails like docker compose', async () => {
    const r = await exec(cluster.second, 'cd /tmp && docker compose up -d --build');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('no configuration file provided: not found\n');
  });
});

describe('docker restart', () => {
  it('stops then starts: a new StartedAt, and RestartCount unchanged (docker counts only policy restarts)', async () => {
    const [, count0, started0] = await state();
    // The first state other than `running` that another command sees is `exited` (the stop half).
    const first = await runOk(
      cluster.second,
      `docker restart magpie-tts >/dev/null & for i in $(seq 2000); do s=$(docker inspect -f '{{.State.Status}}' magpie-tts); [ "$s" != running ] && break; done; echo "$s"; wait`,
    );
    expect(first).toBe('exited\n');
    const [status, count1, started1] = await state();
    expect(status).toBe('running');
    expect(Number(count1)).toBe(Number(count0));
    expect(started1).not.toBe(started0);
  });

  it('docker ps -a lists a stopped container as exited', async () => {
    await runOk(cluster.second, 'docker stop magpie-tts');
    expect(
      await runOk(cluster.second, "docker ps -a --filter name=magpie --format '{{.State}} {{.Status}}'"),
    ).toMatch(/^exited Exited \(0\) /);
    expect(await runOk(cluster.second, "docker ps --filter name=magpie --format '{{.Names}}'")).toBe('');
    await runOk(cluster.second, 'docker start magpie-tts');
  });
});
