import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARAKEET_APP_DIR, parakeetOverlaySource } from './container-fs.js';
import { exec, runOk, twoNodeCluster } from './testing.js';

const cluster = twoNodeCluster({ speed: 0.02 });
const APP = PARAKEET_APP_DIR;
const shippedSha = (f: string): string =>
  createHash('sha256')
    .update(readFileSync(join(parakeetOverlaySource(), f)))
    .digest('hex');

describe('the Parakeet container filesystem', () => {
  it('starts with the shipped overlay files, read by sha256sum inside the container', async () => {
    const out = await runOk(
      cluster.second,
      `docker exec parakeet-asr sha256sum ${APP}/main.py ${APP}/diarizer.py`,
    );
    expect(out).toBe(
      `${shippedSha('main.py')}  ${APP}/main.py\n${shippedSha('diarizer.py')}  ${APP}/diarizer.py\n`,
    );
  });

  it('names container paths, never the simulator’s, in errors', async () => {
    const r = await exec(cluster.second, `docker exec parakeet-asr sha256sum ${APP}/nope.py`);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`sha256sum: ${APP}/nope.py: No such file or directory\n`);
  });

  it('docker cp copies in and out; py_compile really compiles', async () => {
    const good = 'def f():\n    return 1\n';
    await runOk(
      cluster.second,
      `mkdir -p t && printf '%s' '${good}' > t/ok.py && printf 'def f(:\\n' > t/bad.py`,
    );
    expect(await runOk(cluster.second, `docker cp t/ok.py parakeet-asr:${APP}/ok.py`)).toMatch(
      /^Successfully copied/,
    );
    await runOk(cluster.second, `docker cp t/bad.py parakeet-asr:${APP}/bad.py`);
    await runOk(cluster.second, `docker exec parakeet-asr python3 -m py_compile ${APP}/ok.py`);
    const bad = await exec(cluster.second, `docker exec parakeet-asr python3 -m py_compile ${APP}/bad.py`);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(`${APP}/bad.py`);
    expect(bad.stderr).not.toContain('rootfs');
    await runOk(cluster.second, `docker cp parakeet-asr:${APP}/ok.py t/back.py`);
    expect(await runOk(cluster.second, 'cat t/back.py')).toBe(good);
    const outside = await exec(cluster.second, 'docker cp t/ok.py parakeet-asr:/etc/ok.py');
    expect(outside.stderr).toContain('Could not find the file /etc/ok.py in container parakeet-asr');
    await runOk(cluster.second, `docker exec parakeet-asr rm ${APP}/ok.py ${APP}/bad.py && rm -r t`);
  });

  it('an image upgrade drifts main.py and removes diarizer.py; off puts the shipped files back', async () => {
    const sums = (): Promise<{ code: number | null; stdout: string }> =>
      exec(cluster.second, `docker exec parakeet-asr sha256sum ${APP}/main.py ${APP}/diarizer.py`);
    cluster.tc.sim.faults.parakeetUpgrade(true);
    const after = await sums();
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(new RegExp(`^[0-9a-f]{64}  ${APP}/main.py\n$`));
    expect(after.stdout).not.toContain(shippedSha('main.py'));
    cluster.tc.sim.faults.parakeetUpgrade(false);
    expect((await sums()).code).toBe(0);
  });
});
