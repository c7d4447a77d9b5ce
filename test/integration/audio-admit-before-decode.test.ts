// A compressed upload whose container states a long duration is admitted under audio.max_long_runs
// before ffmpeg decodes it: at the bound the client gets the 503 at once and ffmpeg never runs.
// gateway.ffmpeg_path is a wrapper that logs each start and then runs the host's ffmpeg, so the
// test sees whether decoding happened. It needs ffmpeg on the host (.ci/run installs it).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import type { AudioJobAccepted, SpeakersTranscript } from '../../src/common/audio-api.js';
import { findFfmpeg } from '../../src/server/modules/gateway/speech/ffmpeg.js';
import { meetingScript, writeMeetingWav } from '../../src/sim/speech/meeting-audio.js';
import { mp3Of, parakeetProxy, postAudio, startAudioCluster, type AudioCluster } from '../helpers/audio.js';
import { getJson, waitFor } from '../helpers/harness.js';

const realFfmpeg = findFfmpeg(null);
const CHUNK = '/v1/audio/diarize-chunk';

let c: AudioCluster;
/** Holds the ffmpeg wrapper and its log (the cluster's own work dir is made after its config). */
let shell: string;
let ffmpegLog: string;
let longWav: string;
let shortMp3: string;
let longMp3: string;

/** How many times the server started ffmpeg so far. */
const ffmpegRuns = () =>
  existsSync(ffmpegLog) ? readFileSync(ffmpegLog, 'utf8').split('\n').filter(Boolean).length : 0;

const route = () => `${c.url}/api/audio/transcribe-with-speakers`;
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

describe('a long compressed upload is admitted before it is decoded', () => {
  beforeAll(async () => {
    if (!realFfmpeg) throw new Error('this test needs ffmpeg on the host (.ci/run installs it)');
    shell = mkdtempSync(join(tmpdir(), 'sc-admit-decode-'));
    ffmpegLog = join(shell, 'ffmpeg.log');
    const wrapper = join(shell, 'ffmpeg');
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> ${q(ffmpegLog)}\nexec ${q(realFfmpeg!)} "$@"\n`);
    chmodSync(wrapper, 0o755);
    // One long run at a time; two GPU slots, so a short request still finds one while it is held.
    c = await startAudioCluster(
      {
        long_audio_threshold_s: 30,
        chunk_s: 40,
        chunk_overlap_s: 2,
        parallel_chunks: 1,
        gpu_concurrency: 2,
        max_long_runs: 1,
      },
      { yaml: `gateway:\n  ffmpeg_path: ${JSON.stringify(wrapper)}\n` },
    );
    const shortWav = join(c.work, 'short.wav');
    await writeMeetingWav(shortWav, meetingScript(2, 5).slice(0, 3), { sampleRate: 8000 });
    longWav = join(c.work, 'long.wav');
    await writeMeetingWav(longWav, meetingScript(3, 9), { sampleRate: 8000, targetDurationS: 110 });
    shortMp3 = await mp3Of(shortWav);
    longMp3 = await mp3Of(longWav);
  }, 120_000);
  afterAll(async () => {
    await c?.close();
    if (shell) rmSync(shell, { recursive: true, force: true });
  });

  it('at the bound: 503 at once without running ffmpeg; a short mp3 still decodes; once free, 200', async () => {
    let holding = true;
    // The held job's first chunk, and only that: later requests (a short one's too) go through.
    const proxy = await parakeetProxy(c, (path, n) =>
      path === CHUNK && n === 1 && holding ? 'hold' : 'pass',
    );
    try {
      const held = await postAudio(`${route()}?async=1`, longWav);
      expect(held.status).toBe(202);
      const { job_id } = (await held.json()) as AudioJobAccepted;
      await waitFor(() => proxy.held.length === 1);

      const before = ffmpegRuns();
      const refused = await postAudio(route(), longMp3, {}, { filename: 'long.mp3' });
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await errorOf(refused)).message).toMatch(/audio\.max_long_runs\) is 1/);
      expect(ffmpegRuns()).toBe(before); // refused before decoding
      expect(c.tmpEntries()).toHaveLength(1); // only the held job's upload is left

      // A short compressed file is no long run: decoded and transcribed while the bound is full.
      const short = await postAudio(route(), shortMp3, {}, { filename: 'short.mp3' });
      const shortBody = (await short.json()) as SpeakersTranscript;
      expect(short.status, JSON.stringify(shortBody).slice(0, 300)).toBe(200);
      expect(shortBody.chunks).toBe(1);
      expect(ffmpegRuns()).toBe(before + 1);

      holding = false;
      proxy.held[0]!.release();
      const job = await waitFor(async () => {
        const j = (await getJson<JobInfo>(`${c.url}/api/jobs/${job_id}`)).body;
        return j.state !== 'running' ? j : null;
      }, 60_000);
      expect(job.state).toBe('succeeded');
      await waitFor(() => c.tmpEntries().length === 0);

      // Twice: the early admission was given back after the first (the bound is 1).
      for (const round of [1, 2]) {
        const ok = await postAudio(route(), longMp3, {}, { filename: 'long.mp3' });
        const body = (await ok.json()) as SpeakersTranscript;
        expect(ok.status, `${round}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
        expect(body.chunks).toBe(3);
        expect(ffmpegRuns()).toBe(before + 1 + round);
      }
      expect(c.tmpEntries()).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
