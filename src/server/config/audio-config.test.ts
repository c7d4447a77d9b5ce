// audio.*: the pipeline's long-audio, GPU-cap, clustering and retention settings (SPEC §10).
import { describe, expect, it } from 'vitest';
import { problemLine } from './problems.js';
import { validateSettings } from './validate.js';

const base = { nodes: [{ name: 'spark1', host: 'spark1.local', user: 'alice' }] };

const problems = (audio: Record<string, unknown>): string[] => {
  const r = validateSettings({ ...base, audio });
  return r.ok ? [] : r.problems.map(problemLine);
};

describe('audio settings', () => {
  it('has the documented defaults and takes values in range', () => {
    const def = validateSettings(base);
    expect(def.ok && def.config.audio).toEqual({
      long_audio_threshold_s: 600,
      chunk_s: 300,
      chunk_overlap_s: 5,
      parallel_chunks: 2,
      gpu_concurrency: 2,
      max_long_runs: 4,
      cluster_distance_threshold: 0.7,
      speaker_match_threshold: 0.75,
      max_upload_mb: 1024,
      result_retention_h: 72,
    });
    const set = validateSettings({
      ...base,
      audio: { gpu_concurrency: 3, max_long_runs: 1, chunk_s: 60, chunk_overlap_s: 10 },
    });
    expect(set.ok && set.config.audio).toMatchObject({
      gpu_concurrency: 3,
      max_long_runs: 1,
      chunk_s: 60,
      chunk_overlap_s: 10,
    });
  });

  it('refuses a GPU cap above the ceiling of 3, a long-run bound outside 1–32, and an overlap of half a chunk or more', () => {
    expect(problems({ gpu_concurrency: 4 }).join('\n')).toMatch(/audio\.gpu_concurrency/);
    for (const bad of [0, 33, 2.5])
      expect(problems({ max_long_runs: bad }).join('\n'), String(bad)).toMatch(/audio\.max_long_runs/);
    expect(problems({ chunk_s: 20, chunk_overlap_s: 10 }).join('\n')).toMatch(
      /audio.*chunk_overlap_s \(10\) must be less than half of chunk_s \(20\)/,
    );
    expect(problems({ chunk_overlap_s: 200 }).join('\n')).toMatch(/audio\.chunk_overlap_s/);
    expect(problems({ unknown_key: 1 }).join('\n')).toMatch(/audio\.unknown_key/);
  });
});
