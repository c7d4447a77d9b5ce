// The long-audio figures of `npm run bench -- audio` (issue 11), against the simulator over real
// HTTP: the control plane (buildApp) runs in this process, the simulated cluster in its own.
// - a 90-minute 3-speaker meeting (16 kHz mono WAV) through POST
//   /api/audio/transcribe-with-speakers?async=1, the job followed to its end and its result checked
//   (3 speakers, every word of the script); this process's peak RSS growth during the job, sampled
//   every 50 ms (target ≤ 100 MB), and the job's wall time;
// - audio.parallel_chunks 1 vs 2 on one 30-minute recording, as a ratio.
// The simulator runs at speed 1: the fake Parakeet then takes 80 ms + 15 ms per second of audio for
// each transcription and each diarization (~66× real time), so a 5-minute chunk waits ~4.6 s — the
// pacing the chunked path is built around. At the benches' usual 0.05 the waits shrink to ~0.2 s,
// and the pair would mostly measure the two shared cores (the sim's ear and the control plane's
// cutting and uploading) instead of chunks overlapping.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import type { JobInfo } from '../src/common/api.js';
import type { AudioJobAccepted, SpeakersTranscript } from '../src/common/audio-api.js';
import { buildApp } from '../src/server/app.js';
import { createLogger } from '../src/server/platform/log.js';
import { meetingScript, writeMeetingWav, type MeetingTimeline } from '../src/sim/speech/meeting-audio.js';
import { getJson, waitFor } from '../test/helpers/harness.js';
import { cluster } from './cluster.js';
import { round, verdict } from './stats.js';

const run = promisify(execFile);
const SIM_SPEED = 1;
const LONG_S = 90 * 60;
const PAIR_S = 30 * 60;
const TARGET_RSS_MB = 100;
const MB = 1024 * 1024;
/**
 * The pair's chunk length: 30 minutes in 180 s chunks is 11 chunks. The sim's ear keeps its last 8
 * distinct chunks, so with more than 8 the second run of the same file hears every chunk afresh
 * (with 300 s chunks — 7 of them — it would find them all remembered and do less work).
 */
const PAIR_CHUNK_S = 180;

interface JobRun {
  wall_s: number;
  upload_s: number;
  chunks: number;
  speakers: number;
  words: number;
  words_expected: number;
}

/**
 * The upload is sent by curl, a process of its own, so the RSS sampled here is the control plane's
 * alone (a fetch from this process would hold its own buffers of the 170 MB body).
 */
async function curlUpload(url: string, file: string): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', [
    ...['-sS', '--max-time', '300', '-H', 'Expect:', '-w', '\n%{http_code}'],
    ...['-F', `file=@${file};filename=meeting.wav;type=audio/wav`, url],
  ]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

/** POSTs the WAV as an async job, follows it to its end, and checks the result against the script. */
async function runJob(
  base: string,
  wav: string,
  tl: MeetingTimeline,
  onUploaded?: () => void,
): Promise<JobRun> {
  const t0 = performance.now();
  const res = await curlUpload(`${base}/api/audio/transcribe-with-speakers?async=1`, wav);
  if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${res.body.slice(0, 300)}`);
  const uploaded = performance.now();
  onUploaded?.();
  const accepted = JSON.parse(res.body) as AudioJobAccepted;
  const job = await waitFor(
    async () => {
      const j = (await getJson<JobInfo>(`${base}/api/jobs/${accepted.job_id}`)).body;
      return j.state !== 'running' ? j : null;
    },
    600_000,
    100,
  );
  const wall = performance.now() - t0;
  if (job.state !== 'succeeded') throw new Error(`the job ended ${job.state}: ${job.error ?? ''}`);
  const result = await getJson<SpeakersTranscript>(`${base}${accepted.result_url}`);
  if (result.status !== 200) throw new Error(`the result answered ${result.status}`);
  const t = result.body;
  const words = t.segments.flatMap((s) => s.text.split(' ')).length;
  const run = {
    wall_s: round(wall / 1000, 2),
    upload_s: round((uploaded - t0) / 1000, 2),
    chunks: t.chunks,
    speakers: t.speakers_detected.length,
    words,
    words_expected: tl.words.length,
  };
  if (run.speakers !== 3 || words !== tl.words.length)
    throw new Error(`wrong result: ${JSON.stringify(run)} (expected 3 speakers, every word)`);
  return run;
}

/**
 * Peak RSS above the baseline while `work` runs, sampled every 50 ms (and once at the end); the peak
 * up to `mark()` (the upload, whose client is this process too) is kept apart.
 */
async function peakRssGrowth<T>(work: (mark: () => void) => Promise<T>) {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let beforeMark: number | null = null;
  let samples = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
    samples++;
  };
  const timer = setInterval(sample, 50);
  try {
    const value = await work(() => {
      sample();
      beforeMark = peak;
    });
    sample();
    const mb = (x: number) => round((x - baseline) / MB, 1);
    return {
      value,
      peak_mb: mb(peak),
      upload_peak_mb: beforeMark === null ? null : mb(beforeMark),
      baseline_mb: round(baseline / MB, 1),
      samples,
    };
  } finally {
    clearInterval(timer);
  }
}

export async function measureLongAudioJob(): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), 'sc-bench-audio-'));
  const c = await cluster(1, SIM_SPEED);
  try {
    // Two scripts, so no chunk of one file is a chunk of the other (the sim's ear remembers chunks).
    const t0 = performance.now();
    const longWav = join(work, 'meeting-90min.wav');
    const longTl = await writeMeetingWav(longWav, meetingScript(3, 5), { targetDurationS: LONG_S });
    const pairWav = join(work, 'meeting-30min.wav');
    const pairTl = await writeMeetingWav(pairWav, meetingScript(3, 11), { targetDurationS: PAIR_S });
    const writeS = round((performance.now() - t0) / 1000, 1);
    console.log(`wrote the 90- and 30-minute meetings (16 kHz mono) in ${writeS} s`);

    const audio = c.config.audio;
    Object.assign(audio, { long_audio_threshold_s: 600, chunk_s: 300, chunk_overlap_s: 5 });
    Object.assign(audio, { parallel_chunks: 2, gpu_concurrency: 2 });
    const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: true }));
    const app = await buildApp({ config: c.config, db: c.db, transport: c.transport, keys: c.keys, logger });
    try {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      await waitFor(
        async () =>
          (await getJson<{ parakeet: { base_url: string | null } }>(`${base}/api/endpoints`)).body.parakeet
            .base_url !== null,
        120_000,
        250,
      );

      // (1) 90 minutes, the defaults (300 s chunks, 2 at once, 2 GPU slots).
      const long = await peakRssGrowth((mark) => runJob(base, longWav, longTl, mark));
      console.log(
        `90-min job: ${long.value.wall_s} s wall (upload ${long.value.upload_s} s), ${long.value.chunks} chunks, ` +
          `peak RSS growth ${long.peak_mb} MB (${long.upload_peak_mb} MB by the end of the upload) over ${long.baseline_mb} MB (target ≤ ${TARGET_RSS_MB} MB)`,
      );

      // (2) One 30-minute file, one chunk at a time, then two at once. The GPU cap is fixed when the
      // app starts (2 slots); with parallel_chunks 1 only one is ever taken.
      audio.chunk_s = PAIR_CHUNK_S;
      audio.parallel_chunks = 1;
      const sequential = await runJob(base, pairWav, pairTl);
      audio.parallel_chunks = 2;
      const parallel = await runJob(base, pairWav, pairTl);
      const speedup = round(sequential.wall_s / parallel.wall_s, 2);
      console.log(
        `30-min, ${sequential.chunks} chunks of ${PAIR_CHUNK_S} s: sequential ${sequential.wall_s} s, ` +
          `2 at once ${parallel.wall_s} s → ${speedup}×`,
      );
      return {
        sim_speed: SIM_SPEED,
        sim_pacing: '80 ms + 15 ms per audio second per transcription and per diarization (run in parallel)',
        wav_write_s: writeS,
        job_90min: {
          audio: '90 min, 3 speakers, 16 kHz mono PCM16 WAV',
          settings: { chunk_s: 300, chunk_overlap_s: 5, parallel_chunks: 2, gpu_concurrency: 2 },
          ...long.value,
          rss_baseline_mb: long.baseline_mb,
          rss_growth_peak_mb: long.peak_mb,
          rss_growth_peak_during_upload_mb: long.upload_peak_mb,
          rss_samples: long.samples,
          target_mb: TARGET_RSS_MB,
          verdict: verdict(long.peak_mb <= TARGET_RSS_MB),
        },
        chunking: {
          audio: `30 min, 3 speakers, 16 kHz mono, chunk_s ${PAIR_CHUNK_S}, gpu_concurrency 2, same file, same run`,
          sequential: { parallel_chunks: 1, ...sequential },
          parallel: { parallel_chunks: 2, ...parallel },
          speedup,
        },
      };
    } finally {
      await app.close();
    }
  } finally {
    await c.close();
    rmSync(work, { recursive: true, force: true });
  }
}
