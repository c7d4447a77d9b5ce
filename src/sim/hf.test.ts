// The simulated `hf download` over real SSH: the real HF cache layout with sparse files, tqdm bars
// on stderr, resume of an .incomplete blob, the Hub's 404, the download faults and a node that
// only has `huggingface-cli`.
import { describe, expect, it } from 'vitest';
import { hubManifest } from './hf-hub.js';
import { exec, runOk, twoNodeCluster } from './testing.js';

const cluster = twoNodeCluster({ speed: 0.02 });
const SLOW = 60_000; // a loaded 2-core machine: each tick of the shim costs a fork
const REPO = 'acme/Tiny-1B-Instruct';
const cacheDir = `"$HOME"/.cache/huggingface/hub/models--acme--Tiny-1B-Instruct`;

describe('simulated hf download', () => {
  it(
    'writes blobs, refs and snapshot links with the manifest sizes, sparse, and prints tqdm bars',
    async () => {
      const m = hubManifest(REPO)!;
      const r = await exec(cluster.head, `hf download ${REPO}`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toMatch(new RegExp(`/snapshots/${m.commit}$`));
      expect(r.stderr).toMatch(
        /model\.safetensors: +\d+%\|.{10}\| [\d.]+[kMG]?B\/[\d.]+GB \[\d\d:\d\d<[^,]+, [\d.]+[kMG]?B\/s\]\r/,
      );
      expect(await runOk(cluster.head, `cat ${cacheDir}/refs/main`)).toBe(m.commit);
      const listing = await runOk(
        cluster.head,
        `cd ${cacheDir}/snapshots/${m.commit} && for f in *; do printf '%s %s %s\\n' "$f" "$(stat -L -c %s "$f")" "$(readlink "$f")"; done`,
      );
      for (const f of m.files) expect(listing).toContain(`${f.path} ${f.size} ../../blobs/${f.sha256}`);
      const blocks = Number(await runOk(cluster.head, `du -s --block-size=1 ${cacheDir} | cut -f1`));
      const apparent = m.files.reduce((a, f) => a + f.size, 0);
      expect(blocks).toBeLessThan(apparent / 10);
      expect(await runOk(cluster.head, `ls ${cacheDir}/blobs | grep -c incomplete || true`)).toBe('0\n');
    },
    SLOW,
  );

  it('resumes an .incomplete blob; an unknown repo is the Hub 404 with exit 1', async () => {
    const repo = 'acme/Resume-1B';
    const m = hubManifest(repo)!;
    const big = m.files.find((f) => f.path.endsWith('.safetensors'))!;
    const dir = `"$HOME"/.cache/huggingface/hub/models--acme--Resume-1B/blobs`;
    await runOk(
      cluster.second,
      `mkdir -p ${dir} && truncate -s ${big.size - 1000} ${dir}/${big.sha256}.incomplete`,
    );
    const r = await exec(cluster.second, `hf download ${repo}`);
    expect(r.code, r.stderr).toBe(0);
    // the first bar of the resumed file already starts near the end
    const first = r.stderr.split('\r').find((l) => l.startsWith(`${big.path}:`));
    expect(first).toMatch(/:\s+(99|100)%/);
    const missing = await exec(cluster.second, 'hf download nobody/no-such-model');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'Repository Not Found for url: https://huggingface.co/api/models/nobody/no-such-model',
    );
  });

  it(
    'download-fail and disk-full stop midway leaving .incomplete; huggingface-cli works where hf is gone',
    async () => {
      const { faults } = cluster.tc.sim;
      faults.hfFault('spark2', 'disk-full');
      const full = await exec(cluster.second, 'hf download acme/Full-3B');
      expect(full.code).toBe(1);
      expect(full.stderr).toContain('No space left on device');
      expect(
        await runOk(cluster.second, 'ls "$HOME"/.cache/huggingface/hub/models--acme--Full-3B/blobs'),
      ).toContain('.incomplete');
      faults.hfFault('spark2', 'download-fail');
      const broken = await exec(cluster.second, 'hf download acme/Full-3B');
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('Connection broken');
      faults.hfFault(null, null);
      faults.hfCli('spark2', false);
      try {
        expect((await exec(cluster.second, 'command -v hf')).code).toBe(1);
        const legacy = await exec(cluster.second, 'huggingface-cli download acme/Full-3B');
        expect(legacy.code, legacy.stderr).toBe(0);
        expect(
          await runOk(
            cluster.second,
            'ls "$HOME"/.cache/huggingface/hub/models--acme--Full-3B/blobs | grep -c incomplete || true',
          ),
        ).toBe('0\n');
      } finally {
        faults.hfCli('spark2', true);
      }
      expect((await exec(cluster.second, 'command -v hf')).code).toBe(0);
    },
    SLOW,
  );

  it('takes the token from HF_TOKEN only (its hash is recorded, never the token)', async () => {
    const r = await exec(
      cluster.head,
      `read -r HF_TOKEN && export HF_TOKEN && hf download acme/Tiny-1B-Instruct`,
      'hf_simsecret123\n',
    );
    expect(r.code, r.stderr).toBe(0);
    const { createHash } = await import('node:crypto');
    expect(await runOk(cluster.head, 'cat "$SIM_STATE/hf-token.sha256"')).toBe(
      `${createHash('sha256').update('hf_simsecret123').digest('hex')}\n`,
    );
    expect((await exec(cluster.head, 'hf download acme/Tiny-1B-Instruct --token x')).code).toBe(2);
  });
});
