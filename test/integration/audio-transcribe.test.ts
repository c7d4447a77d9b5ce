// The audio pipeline through real HTTP against the simulated Parakeet (its diarizer hears the
// voices in the samples): short files in every format, a 30-minute 3-speaker recording through the
// chunked path, and the async job with progress by chunk and its result.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import type { AudioJobAccepted, SpeakersTranscript } from '../../src/common/audio-api.js';
import { meetingScript, writeMeetingWav, type MeetingTimeline } from '../../src/sim/speech/meeting-audio.js';
import { labelsAgainstScript, postAudio, startAudioCluster, type AudioCluster } from '../helpers/audio.js';
import { getJson, waitFor } from '../helpers/harness.js';
import { planChunks } from '../../src/server/modules/audio/core/chunk-plan.js';
import { findFfmpeg } from '../../src/server/modules/gateway/speech/ffmpeg.js';

let c: AudioCluster;
let shortWav: string;
let shortTl: MeetingTimeline;
let longWav: string;
let longTl: MeetingTimeline;
let longChunks: number;

beforeAll(async () => {
  // 8 kHz keeps the 30-minute file small; chunks of 5 minutes past a 2-minute threshold.
  c = await startAudioCluster({
    long_audio_threshold_s: 120,
    chunk_s: 300,
    chunk_overlap_s: 4,
    parallel_chunks: 2,
  });
  shortWav = join(c.work, 'short.wav');
  shortTl = await writeMeetingWav(shortWav, meetingScript(3, 7).slice(0, 6), { sampleRate: 8000 });
  longWav = join(c.work, 'long.wav');
  longTl = await writeMeetingWav(longWav, meetingScript(3, 11), { sampleRate: 8000, targetDurationS: 1800 });
  longChunks = planChunks(longTl.duration_s, { chunkS: 300, overlapS: 4 }).length;
}, 120_000);
afterAll(async () => c?.close());

const route = () => `${c.url}/api/audio/transcribe-with-speakers`;

describe('POST /api/audio/transcribe-with-speakers', () => {
  it('transcribes a short 3-speaker file with global speakers, in json, srt, vtt and text', async () => {
    const res = await postAudio(route(), shortWav);
    const body = (await res.json()) as SpeakersTranscript;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.chunks).toBe(1);
    expect(body.duration).toBeCloseTo(shortTl.duration_s, 1);
    expect(body.speakers_detected).toHaveLength(3);
    expect(body.speakers_detected.every((s) => /^Speaker_\d$/.test(s))).toBe(true);
    expect(body.models.diarization).toMatch(/sortformer/);
    const words = body.segments.flatMap((s) => s.text.split(' '));
    expect(words.length).toBe(shortTl.words.length);
    const check = labelsAgainstScript(body.segments, shortTl);
    expect(new Set(check.mapping.values()).size).toBe(3);
    expect(check.disagreements).toBe(0);

    const srt = await postAudio(route(), shortWav, { response_format: 'srt' });
    expect(srt.headers.get('content-type')).toMatch(/subrip/);
    const srtText = await srt.text();
    expect(srtText).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> /);
    expect(srtText).toContain(`${body.segments[0]!.speaker}: ${body.segments[0]!.text}`);
    const vtt = await (await postAudio(route(), shortWav, { response_format: 'vtt' })).text();
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    expect(vtt).toContain(`<v ${body.segments[1]!.speaker}>`);
    const text = await (await postAudio(route(), shortWav, { response_format: 'text' })).text();
    expect(text).toContain(body.segments.at(-1)!.text);
    expect(c.tmpEntries()).toEqual([]);
  });

  it('honours max_speakers and min_speakers when clustering the voices, and keeps every word', async () => {
    const two = (await (
      await postAudio(route(), shortWav, { max_speakers: '2' })
    ).json()) as SpeakersTranscript;
    expect(two.speakers_detected).toHaveLength(2);
    expect(two.segments.flatMap((s) => s.text.split(' '))).toHaveLength(shortTl.words.length);
    const one = (await (
      await postAudio(route(), shortWav, { max_speakers: '1' })
    ).json()) as SpeakersTranscript;
    expect(one.speakers_detected).toEqual(['Speaker_0']);
    // A lower bound the voices already meet changes nothing.
    const three = (await (
      await postAudio(route(), shortWav, { min_speakers: '2' })
    ).json()) as SpeakersTranscript;
    expect(three.speakers_detected).toHaveLength(3);
  });

  it('decodes a non-WAV container with ffmpeg when the host has it (a FLAC of the same meeting)', async () => {
    const ffmpeg = findFfmpeg(null);
    const flac = join(c.work, 'short.flac');
    if (ffmpeg) {
      const made = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', shortWav, '-y', flac]);
      expect(made.status).toBe(0);
      const res = await postAudio(route(), flac, {}, { filename: 'short.flac' });
      const body = (await res.json()) as SpeakersTranscript;
      expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
      expect(body.speakers_detected).toHaveLength(3);
      expect(body.segments.flatMap((s) => s.text.split(' '))).toHaveLength(shortTl.words.length);
      expect(labelsAgainstScript(body.segments, shortTl).disagreements).toBe(0);
    } else {
      // Without ffmpeg a short FLAC goes to Parakeet as it is: never a 5xx of ours.
      const res = await postAudio(
        route(),
        Buffer.from('fLaC\0\0\0\x22 not really flac'),
        {},
        { filename: 'a.flac' },
      );
      expect(res.status).toBeLessThan(500);
    }
    expect(c.tmpEntries()).toEqual([]);
  });

  it('cuts a 30-minute 3-speaker recording into chunks and keeps 3 global speakers consistent with the script', async () => {
    const res = await postAudio(route(), longWav);
    const body = (await res.json()) as SpeakersTranscript;
    expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
    expect(body.chunks).toBe(longChunks);
    expect(body.duration).toBeCloseTo(longTl.duration_s, 0);
    expect(body.speakers_detected).toEqual(['Speaker_0', 'Speaker_1', 'Speaker_2']);
    const check = labelsAgainstScript(body.segments, longTl);
    expect(new Set(check.mapping.values())).toEqual(new Set([0, 1, 2]));
    expect(check.disagreements).toBe(0);
    // No word lost or doubled at the chunk overlaps.
    const words = body.segments.flatMap((s) => s.text.split(' '));
    expect(words).toHaveLength(longTl.words.length);
    expect(c.tmpEntries()).toEqual([]);
  }, 120_000);

  it('?async=1 runs the long path as a job with progress by chunk, then serves the result', async () => {
    const res = await postAudio(`${route()}?async=1`, longWav);
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as AudioJobAccepted;
    expect(accepted.result_url).toBe(`/api/audio/results/${accepted.job_id}`);
    const early = await getJson<{ error: { code: string } }>(`${c.url}${accepted.result_url}`);
    // Either still running (409) or already done: never a half result.
    expect([200, 409]).toContain(early.status);
    const job = await waitFor(async () => {
      const j = (await getJson<JobInfo>(`${c.url}/api/jobs/${accepted.job_id}`)).body;
      return j.state !== 'running' ? j : null;
    }, 120_000);
    expect(job.state).toBe('succeeded');
    expect(job.kind).toBe('audio-transcription');
    expect(job.progress).toBe(1);
    expect(job.meta.chunks).toBe(longChunks);
    const log = await (await fetch(`${c.url}/api/jobs/${accepted.job_id}/stream`)).text();
    for (let i = 1; i <= longChunks; i++) expect(log).toContain(`(${i}/${longChunks})`);
    const result = await getJson<SpeakersTranscript>(`${c.url}${accepted.result_url}`);
    expect(result.status).toBe(200);
    expect(result.body.speakers_detected).toHaveLength(3);
    expect(result.body.chunks).toBe(longChunks);
    const srt = await fetch(`${c.url}${accepted.result_url}?response_format=srt`);
    expect(await srt.text()).toMatch(/^1\n/);
    await waitFor(() => c.tmpEntries().length === 0);
    expect((await getJson(`${c.url}/api/audio/results/no-such-job`)).status).toBe(404);
  }, 120_000);
});
