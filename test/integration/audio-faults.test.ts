// The audio pipeline's bad input and faults through real HTTP, on a host without ffmpeg: refused
// uploads (empty, truncated, not audio, over the limit before the body is read, bad fields), a
// short mp3 sent to Parakeet as it is and a long one refused, the wedge path, a chunk that fails
// (once: retried; twice: the request or job fails naming it), the bound on long runs and the GPU
// cap, a cancelled job and a client that goes away mid-upload or mid-request — with the temp files
// gone every time. Faults are injected at the outermost seam: the simulator's wedge switch, or a
// loopback proxy in front of its Parakeet.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import type {
  AudioJobAccepted,
  DiarizeChunkResponse,
  SpeakersTranscript,
} from '../../src/common/audio-api.js';
import type { DeepHealthResponse } from '../../src/common/services-api.js';
import { meetingScript, writeMeetingWav } from '../../src/sim/speech/meeting-audio.js';
import { pcm16Wav } from '../../src/sim/wav.js';
import { mp3Of, parakeetProxy, postAudio, startAudioCluster, type AudioCluster } from '../helpers/audio.js';
import { getJson, waitFor } from '../helpers/harness.js';

let c: AudioCluster;
let shortWav: string;
let longWav: string;
const CHUNK = '/v1/audio/diarize-chunk';

beforeAll(async () => {
  // One chunk at a time and one GPU slot: the order of upstream requests is known.
  c = await startAudioCluster(
    {
      long_audio_threshold_s: 30,
      chunk_s: 40,
      chunk_overlap_s: 2,
      parallel_chunks: 1,
      gpu_concurrency: 1,
      max_long_runs: 2,
      max_upload_mb: 2,
    },
    { yaml: 'gateway:\n  ffmpeg_path: /nonexistent/ffmpeg\n' },
  );
  shortWav = join(c.work, 'short.wav');
  await writeMeetingWav(shortWav, meetingScript(2, 5).slice(0, 3), { sampleRate: 8000 });
  longWav = join(c.work, 'long.wav');
  await writeMeetingWav(longWav, meetingScript(3, 9), { sampleRate: 8000, targetDurationS: 110 });
}, 120_000);
afterAll(async () => c?.close());

const route = () => `${c.url}/api/audio/transcribe-with-speakers`;
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

/** A multipart upload to the route that declares `length` bytes and has sent only its part header. */
function openUpload(length: number) {
  const u = new URL(route());
  const req = request({
    host: u.hostname,
    port: u.port,
    path: u.pathname,
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(length) },
  });
  req.write('--x\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n');
  return req;
}

describe('bad input', () => {
  it('refuses empty, truncated, non-audio and malformed uploads with 400/415 and a clear message', async () => {
    const wav = pcm16Wav(new Int16Array(8000).fill(1000), 8000);
    const cases: [string, Buffer | null, Record<string, string>, number, RegExp][] = [
      ['empty', Buffer.alloc(0), {}, 400, /empty/],
      ['no file', null, { language: 'en' }, 400, /no `file`/],
      ['truncated WAV', wav.subarray(0, 2000), {}, 400, /truncated/],
      ['not audio', Buffer.from('%PDF-1.7 this is a document, not a recording'), {}, 415, /not audio/],
      ['min > max', wav, { min_speakers: '3', max_speakers: '2' }, 400, /min_speakers.*max_speakers/],
      ['bad format', wav, { response_format: 'docx' }, 400, /response_format/],
    ];
    for (const [name, file, fields, status, message] of cases) {
      const res = await postAudio(route(), file, fields);
      expect(res.status, name).toBe(status);
      expect((await errorOf(res)).message, name).toMatch(message);
    }
    const json = await fetch(route(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(c.tmpEntries()).toEqual([]);
  });

  it('sends a short mp3 to Parakeet as it is without ffmpeg, and refuses a long one with 415 naming ffmpeg', async () => {
    const short = await mp3Of(shortWav);
    expect(readFileSync(short).subarray(0, 4).toString('latin1')).not.toBe('RIFF');
    const res = await postAudio(route(), short, {}, { filename: 'short.mp3' });
    const body = (await res.json()) as SpeakersTranscript;
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.chunks).toBe(1);
    expect(body.duration).toBeGreaterThan(1);
    // The simulated Parakeet cannot decode mp3: it hears one voice over the file's estimated length.
    expect(body.speakers_detected).toEqual(['Speaker_0']);
    expect(body.segments.length).toBeGreaterThan(0);
    for (const seg of body.segments) {
      expect(seg.speaker).toBe('Speaker_0');
      expect(seg.text.trim()).not.toBe('');
      expect(seg.end_ms).toBeGreaterThan(seg.start_ms);
    }
    expect(body.models.transcription).toEqual(expect.any(String));
    expect(body.models.diarization).toMatch(/sortformer/);

    const long = await postAudio(route(), await mp3Of(longWav), {}, { filename: 'long.mp3' });
    expect(long.status).toBe(415);
    expect((await errorOf(long)).message).toMatch(
      /needs ffmpeg on the control-plane host.*apt install ffmpeg/,
    );
    expect(c.tmpEntries()).toEqual([]);
  });

  it('answers 413 to a declared length over the limit before the body is sent, and at the limit otherwise', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      // The rest of the 50 MB is never sent: the answer must come anyway.
      const req = openUpload(50 * 1024 * 1024);
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
    });
    expect(status).toBe(413);
    const big = Buffer.alloc(3 * 1024 * 1024, 1);
    const res = await postAudio(route(), big);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toMatch(/audio\.max_upload_mb/);
    await waitFor(() => c.tmpEntries().length === 0);
  });

  it('removes the temp dir of a client that disconnects mid-upload, and answers the next request', async () => {
    const req = openUpload(1024 * 1024);
    const closed = new Promise<void>((resolve) => req.on('close', resolve));
    req.on('error', () => {}); // the socket we destroy
    req.write(readFileSync(shortWav).subarray(0, 64 * 1024));
    await waitFor(() => c.tmpEntries().length === 1); // the upload is being written
    req.destroy();
    await closed;
    await waitFor(() => c.tmpEntries().length === 0);
    const next = await postAudio(route(), shortWav);
    expect(next.status).toBe(200);
    expect(((await next.json()) as SpeakersTranscript).speakers_detected).toHaveLength(2);
  });
});

describe('faults', () => {
  it('relays diarize-chunk unchanged, and an upstream 500 is 503 + Retry-After 60 with an immediate deep check', async () => {
    const ok = await postAudio(`${c.url}/api/audio/diarize-chunk`, shortWav);
    const body = (await ok.json()) as DiarizeChunkResponse;
    expect(ok.status).toBe(200);
    expect(body.speakers_detected).toEqual(['Speaker_0', 'Speaker_1']);
    expect(body.fingerprints.Speaker_0).toHaveLength(192);
    expect(Object.keys(body.segments[0]!)).toEqual(['start_s', 'end_s', 'speaker', 'confidence']);

    c.sim.faults.parakeetWedge(true);
    try {
      for (const url of [route(), `${c.url}/api/audio/diarize-chunk`]) {
        const res = await postAudio(url, shortWav);
        expect(res.status, url).toBe(503);
        expect(res.headers.get('retry-after')).toBe('60');
        expect((await errorOf(res)).message).toMatch(/temporarily unavailable/);
      }
      await waitFor(async () => {
        const d = (await getJson<DeepHealthResponse>(`${c.url}/api/deep-health`)).body;
        return d.services.parakeet?.last?.trigger === 'gateway';
      });
    } finally {
      c.sim.faults.parakeetWedge(false);
    }
  });

  it('retries a chunk that fails once; a chunk failing twice fails the request naming it', async () => {
    const once = await parakeetProxy(c, (path, n) => (path === CHUNK && n === 2 ? 'fail' : 'pass'));
    try {
      const res = await postAudio(route(), longWav);
      const body = (await res.json()) as SpeakersTranscript;
      expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
      expect(body.chunks).toBe(3);
      expect(once.seen.get(CHUNK)).toBe(4); // 3 chunks + 1 retry
    } finally {
      await once.close();
    }
    const twice = await parakeetProxy(c, (path, n) =>
      path === CHUNK && (n === 2 || n === 3) ? 'fail' : 'pass',
    );
    try {
      const res = await postAudio(route(), longWav);
      expect(res.status).toBe(503);
      const err = await errorOf(res);
      expect(err.message).toMatch(/chunk 2 of 3 \(0:\d\d–1:\d\d\) failed twice/);
      expect(err.message).toMatch(/HTTP 500/);
      expect(twice.seen.get(CHUNK)).toBe(3); // chunk 3 never started
    } finally {
      await twice.close();
    }
    await waitFor(() => c.tmpEntries().length === 0);
  });

  it('an async job whose chunk fails twice fails naming it, and its result URL answers that error', async () => {
    const twice = await parakeetProxy(c, (path, n) =>
      path === CHUNK && (n === 2 || n === 3) ? 'fail' : 'pass',
    );
    try {
      const res = await postAudio(`${route()}?async=1`, longWav);
      expect(res.status).toBe(202);
      const { job_id, result_url } = (await res.json()) as AudioJobAccepted;
      const job = await waitFor(async () => {
        const j = (await getJson<JobInfo>(`${c.url}/api/jobs/${job_id}`)).body;
        return j.state !== 'running' ? j : null;
      }, 60_000);
      const named = /chunk 2 of 3 \(0:\d\d–1:\d\d\) failed twice \(.*HTTP 500\); no partial result/;
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(named);
      expect(job.progress).toBeCloseTo(1 / 3); // chunk 1 was done, nothing after
      const log = await (await fetch(`${c.url}/api/jobs/${job_id}/stream`)).text();
      expect(log).toMatch(/chunk 2 failed \(.*HTTP 500\); trying it once more/);
      const result = await getJson<{ error: { code: string; message: string } }>(`${c.url}${result_url}`);
      expect(result.status).toBe(503);
      expect(result.body.error.message).toMatch(named);
      expect(twice.seen.get(CHUNK)).toBe(3); // chunk 3 never started
      expect(c.tmpEntries()).toEqual([]);
    } finally {
      await twice.close();
    }
  });

  it('admits at most audio.max_long_runs long runs: over it 503 at once, no job id, the upload removed', async () => {
    let holding = true;
    const proxy = await parakeetProxy(c, (path) => (path === CHUNK && holding ? 'hold' : 'pass'));
    try {
      const submit = async () => {
        const res = await postAudio(`${route()}?async=1`, longWav);
        expect(res.status).toBe(202);
        return ((await res.json()) as AudioJobAccepted).job_id;
      };
      const first = await submit();
      await waitFor(() => proxy.held.length === 1); // its first chunk has the only GPU slot
      const second = await submit(); // admitted, its chunks wait for the slot
      const audioJobs = async () =>
        (await getJson<JobInfo[]>(`${c.url}/api/jobs?kind=audio-transcription&limit=500`)).body;
      const jobsBefore = (await audioJobs()).length;
      const refused: [string, string][] = [
        ['async long', `${route()}?async=1`],
        ['sync long', route()],
      ];
      for (const [name, url] of refused) {
        const res = await postAudio(url, longWav);
        expect(res.status, name).toBe(503);
        expect(Number(res.headers.get('retry-after')), name).toBeGreaterThan(0);
        expect((await errorOf(res)).message, name).toMatch(/audio\.max_long_runs\) is 2/);
      }
      // A job of short audio waits for GPU slots too, so it counts; a short synchronous request
      // never waits, so it is refused only by the (busy) GPU cap, not by the bound.
      const shortJob = await postAudio(`${route()}?async=1`, shortWav);
      expect(shortJob.status).toBe(503);
      expect((await errorOf(shortJob)).message).toMatch(/max_long_runs/);
      expect((await audioJobs()).length).toBe(jobsBefore);
      expect(c.tmpEntries()).toHaveLength(2); // the refused uploads are gone

      for (const id of [first, second])
        expect((await fetch(`${c.url}/api/jobs/${id}`, { method: 'DELETE' })).status).toBe(200);
      await waitFor(() => c.tmpEntries().length === 0);
      holding = false;
      // Both places were given back when the jobs ended.
      const res = await postAudio(route(), longWav);
      expect(res.status).toBe(200);
      expect(((await res.json()) as SpeakersTranscript).chunks).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  it('cancelling an async job stops its chunk work and removes its temp files', async () => {
    const proxy = await parakeetProxy(c, (path, n) => (path === CHUNK && n === 2 ? 'hold' : 'pass'));
    try {
      const res = await postAudio(`${route()}?async=1`, longWav);
      const { job_id, result_url } = (await res.json()) as AudioJobAccepted;
      await waitFor(() => proxy.held.length === 1);
      const running = (await getJson<JobInfo>(`${c.url}/api/jobs/${job_id}`)).body;
      expect(running.progress).toBeCloseTo(1 / 3);
      expect((await getJson(`${c.url}${result_url}`)).status).toBe(409);
      expect((await fetch(`${c.url}/api/jobs/${job_id}`, { method: 'DELETE' })).status).toBe(200);
      await proxy.held[0]!.aborted; // the chunk in flight was abandoned upstream
      const job = await waitFor(async () => {
        const j = (await getJson<JobInfo>(`${c.url}/api/jobs/${job_id}`)).body;
        return j.state !== 'running' ? j : null;
      });
      expect(job.state).toBe('cancelled');
      expect(c.tmpEntries()).toEqual([]);
      expect(proxy.seen.get(CHUNK)).toBe(2); // no later chunk was started
      const after = await getJson<{ error: { message: string } }>(`${c.url}${result_url}`);
      expect(after.status).toBe(409);
      expect(after.body.error.message).toMatch(/cancelled/);
    } finally {
      await proxy.close();
    }
  });

  it('a client that goes away mid-request stops the chunk work and its temp files are removed', async () => {
    const proxy = await parakeetProxy(c, (path, n) => (path === CHUNK && n === 2 ? 'hold' : 'pass'));
    try {
      const ac = new AbortController();
      const pending = postAudio(route(), longWav, {}, { signal: ac.signal }).catch((e: unknown) => e);
      await waitFor(() => proxy.held.length === 1);
      expect(c.tmpEntries()).toHaveLength(1);
      ac.abort();
      expect(await pending).toBeInstanceOf(Error);
      await proxy.held[0]!.aborted;
      await waitFor(() => c.tmpEntries().length === 0);
      expect(proxy.seen.get(CHUNK)).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  // Last: a refused request makes waiting chunk work keep the (only) slot free for a while.
  it('refuses a request with 503 + Retry-After while the GPU cap is full, never queueing it', async () => {
    const proxy = await parakeetProxy(c, (path) => (path === CHUNK ? 'hold' : 'pass'));
    try {
      const first = postAudio(route(), shortWav);
      await waitFor(() => proxy.held.length === 1);
      const second = await postAudio(route(), shortWav);
      expect(second.status).toBe(503);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await errorOf(second)).message).toMatch(/audio\.gpu_concurrency.*1/);
      // A long recording too: its first chunk needs a slot now, so it is refused, not queued.
      const long = await postAudio(route(), longWav);
      expect(long.status).toBe(503);
      expect(Number(long.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await errorOf(long)).message).toMatch(/audio\.gpu_concurrency.*1/);
      expect(c.tmpEntries()).toHaveLength(1); // only the running request's upload
      // The gateway's plain transcription shares the cap: the OpenAI envelope, and a Retry-After
      // that the official clients honour when they retry.
      const fd = new FormData();
      fd.append('model', 'parakeet');
      fd.append('file', new Blob([new Uint8Array(readFileSync(shortWav))]), 'short.wav');
      const plain = await fetch(`${c.url}/v1/audio/transcriptions`, { method: 'POST', body: fd });
      expect(plain.status).toBe(503);
      expect(Number(plain.headers.get('retry-after'))).toBeGreaterThan(0);
      const envelope = (await plain.json()) as { error: { message: string; type: string } };
      expect(envelope.error.message).toMatch(/audio\.gpu_concurrency/);
      expect(typeof envelope.error.type).toBe('string');
      proxy.held[0]!.release();
      expect((await first).status).toBe(200);
    } finally {
      await proxy.close();
    }
  });
});
