// The speaker library through real HTTP: the real server (buildApp) enrolling voices from
// simulated recordings that the simulator's fake Parakeet diarizes from the audio itself, the
// fingerprints kept in the real SQLite file.
import { openAsBlob, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AudioJobAccepted,
  EnrolledSpeaker,
  SpeakersList,
  SpeakersTranscript,
} from '../../src/common/audio-api.js';
import { SpeakerStore } from '../../src/server/modules/audio/speakers/store.js';
import { writeMeetingWav, writeVoiceSampleWav } from '../../src/sim/speech/meeting-audio.js';
import { voiceVector } from '../../src/sim/speech/voiceprint.js';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { pcmWav } from '../helpers/wav.js';

const ALICE = 2;
const BOB = 3;
const CAROL = 4;
/** Never enrolled. */
const OTHER = 0;
const ERIN = 1;

interface Answer<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** A JSON array of 10+ numbers anywhere in a body: what a leaked fingerprint looks like. */
const VECTOR_LIKE = /\[\s*-?[\d.]+(?:e[+-]?\d+)?(?:\s*,\s*-?[\d.]+(?:e[+-]?\d+)?){9,}\s*\]/i;

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
};

describe('speaker library /api/audio/speakers', () => {
  let c: TestCluster;
  let dir: string;
  const seen: string[] = [];

  const call = async <T = unknown>(
    method: string,
    path: string,
    body?: FormData | object,
  ): Promise<Answer<T>> => {
    const init: RequestInit = { method };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await fetch(`${c.url}${path}`, init);
    const text = await res.text();
    seen.push(text);
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, text, headers: res.headers };
  };
  const form = async (wav: string, name?: string) => {
    const f = new FormData();
    if (name !== undefined) f.set('name', name);
    f.set('file', await openAsBlob(wav), 'sample.wav');
    return f;
  };
  const sample = async (voice: number, seconds: number, seed: number) => {
    const path = join(dir, `voice-${voice}-${seed}.wav`);
    await writeVoiceSampleWav(path, voice, seconds, { seed });
    return path;
  };
  const enroll = async (name: string, wav: string) =>
    call<EnrolledSpeaker>('POST', '/api/audio/speakers', await form(wav, name));
  const storedVoice = (id: string) => new SpeakerStore(c.db).voices().find((v) => v.id === id)?.vector;

  beforeAll(async () => {
    c = await startTestCluster();
    dir = c.dataDir;
  });
  afterAll(async () => c?.close());

  let alice: EnrolledSpeaker;
  /** The recording of Alice and OTHER, and which voice speaks when. */
  let aliceMeeting: { wav: string; voiceAt: (ms: number) => number | undefined };

  it('enrolls Alice from a sample of her voice alone', async () => {
    const r = await enroll('Alice', await sample(ALICE, 12, 1));
    expect(r.status).toBe(201);
    alice = r.body;
    expect(alice).toMatchObject({ name: 'Alice', samples: 1, sample: { source: 'upload', voices: 1 } });
    expect(alice.sample?.speech_s).toBeGreaterThan(3);
    expect(alice.sample?.note).toBeUndefined();
    const stored = storedVoice(alice.id)!;
    expect(cosine(stored, voiceVector(ALICE))).toBeGreaterThan(0.8);
    expect(cosine(stored, voiceVector(BOB))).toBeLessThan(0.3);
  });

  it('lists and gets her without the fingerprint, and refuses her name again in any case (409)', async () => {
    const list = await call<SpeakersList>('GET', '/api/audio/speakers');
    expect(list.status).toBe(200);
    const { sample: _sample, ...listed } = alice;
    expect(list.body.speakers).toEqual([listed]);
    expect(list.body.match_threshold).toBe(c.config.audio.speaker_match_threshold);
    const one = await call<EnrolledSpeaker>('GET', `/api/audio/speakers/${alice.id}`);
    expect(one.body).toEqual(list.body.speakers[0]);
    const dup = await enroll('  ALICE ', await sample(ALICE, 6, 2));
    expect(dup.status).toBe(409);
    expect(dup.text).toMatch(/already enrolled/);
  });

  it('averages a second sample in', async () => {
    const before = storedVoice(alice.id)!;
    const r = await call<EnrolledSpeaker>(
      'POST',
      `/api/audio/speakers/${alice.id}/samples`,
      await form(await sample(ALICE, 10, 3)),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: alice.id, name: 'Alice', samples: 2 });
    const after = storedVoice(alice.id)!;
    expect(after).not.toEqual(before);
    expect(cosine(after, voiceVector(ALICE))).toBeGreaterThan(0.8);
  });

  it('names Alice in a second recording, and only her', async () => {
    const wav = join(dir, 'meeting-with-alice.wav');
    const timeline = await writeMeetingWav(
      wav,
      [
        { speaker: OTHER, text: 'First item on the agenda is the model swap we scheduled for tonight.' },
        {
          speaker: ALICE,
          text: 'The new checkpoint finished downloading on both Sparks, so we can load it after the demo.',
        },
        { speaker: OTHER, text: 'Can you check that the speech services are still healthy?' },
        {
          speaker: ALICE,
          text: 'Yes, Parakeet and Magpie both answered the last probe, and the queue is empty.',
        },
      ],
      { seed: 9 },
    );
    const r = await call<SpeakersTranscript>('POST', '/api/audio/transcribe-with-speakers', await form(wav));
    expect(r.status).toBe(200);
    const voiceAt = (ms: number) =>
      timeline.turns.find((t) => t.start_s * 1000 <= ms && ms <= t.end_s * 1000)?.speaker;
    aliceMeeting = { wav, voiceAt };
    const bySpeaker = new Map<number, Set<string>>();
    for (const seg of r.body.segments) {
      const voice = voiceAt((seg.start_ms + seg.end_ms) / 2);
      expect(voice).toBeDefined();
      if (!bySpeaker.has(voice!)) bySpeaker.set(voice!, new Set());
      bySpeaker.get(voice!)!.add(seg.speaker);
      if (voice === ALICE) expect(seg).toMatchObject({ speaker: 'Alice', speaker_id: alice.id });
      else expect(seg.speaker_id).toBeUndefined();
    }
    expect([...bySpeaker.get(ALICE)!]).toEqual(['Alice']);
    expect([...bySpeaker.get(OTHER)!]).toEqual([expect.stringMatching(/^Speaker_\d+$/)]);
    expect(r.body.speakers_detected).toContain('Alice');
  });

  it('enrolls "this is Erin" from a speaker of a past async result', async () => {
    const wav = join(dir, 'meeting-with-erin.wav');
    const timeline = await writeMeetingWav(
      wav,
      [
        { speaker: OTHER, text: 'Do we know how long the long recordings take to transcribe now?' },
        { speaker: ERIN, text: 'About three minutes for an hour of audio, with two chunks in parallel.' },
        { speaker: OTHER, text: 'That is good enough for the meeting notes.' },
      ],
      { seed: 11 },
    );
    const accepted = await call<AudioJobAccepted>(
      'POST',
      '/api/audio/transcribe-with-speakers?async=1',
      await form(wav),
    );
    expect(accepted.status).toBe(202);
    const resultId = accepted.body.result_url.split('/').pop()!;
    const result = await waitFor(async () => {
      const got = await call<SpeakersTranscript>('GET', accepted.body.result_url);
      return got.status === 200 ? got.body : null;
    });
    const erinTurn = timeline.turns.find((t) => t.speaker === ERIN)!;
    const label = result.segments.find((s) => s.start_ms / 1000 >= erinTurn.start_s - 0.5)!.speaker;
    expect(label).toMatch(/^Speaker_\d+$/);
    const unknownSpeaker = await call('POST', '/api/audio/speakers', {
      name: 'Erin',
      result_id: resultId,
      speaker: 'Speaker_9',
    });
    expect(unknownSpeaker.status).toBe(404);
    const r = await call<EnrolledSpeaker>('POST', '/api/audio/speakers', {
      name: 'Erin',
      result_id: resultId,
      speaker: label,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Erin', samples: 1, sample: { source: 'result', speech_s: null } });
    const stored = storedVoice(r.body.id)!;
    expect(cosine(stored, voiceVector(ERIN))).toBeGreaterThan(0.8);
    expect(cosine(stored, voiceVector(OTHER))).toBeLessThan(0.3);
  });

  it('enrolls the voice that speaks most from a sample with two, and says so', async () => {
    const wav = join(dir, 'two-voices.wav');
    await writeMeetingWav(wav, [
      { speaker: BOB, text: 'Hello there.' },
      {
        speaker: CAROL,
        text: 'The new checkpoint finished downloading on both Sparks, so we can load it after the demo.',
      },
      {
        speaker: CAROL,
        text: 'Yes, Parakeet and Magpie both answered the last probe, and the queue is empty.',
      },
    ]);
    const r = await enroll('Carol', wav);
    expect(r.status).toBe(201);
    expect(r.body.sample).toMatchObject({
      voices: 2,
      note: expect.stringMatching(/2 voices; the one speaking most/),
    });
    const stored = storedVoice(r.body.id)!;
    expect(cosine(stored, voiceVector(CAROL))).toBeGreaterThan(0.8);
    expect(cosine(stored, voiceVector(BOB))).toBeLessThan(0.3);
  });

  it('lets exactly one of two racing enrollments of one name win', async () => {
    const [a, b] = await Promise.all([
      enroll('Bob', await sample(BOB, 8, 4)),
      enroll('bob', await sample(BOB, 8, 5)),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const bobs = (await call<SpeakersList>('GET', '/api/audio/speakers')).body.speakers.filter((s) =>
      /^bob$/i.test(s.name),
    );
    expect(bobs).toHaveLength(1);
  });

  it('answers a silent sample with 422 saying there is no speech', async () => {
    const wav = join(dir, 'silence.wav');
    writeFileSync(wav, pcmWav(3, { hz: 0 }));
    const r = await enroll('Dave', wav);
    expect(r.status).toBe(422);
    expect(r.text).toMatch(/No speech/);
  });

  it.each([
    [
      'no name',
      async () => call('POST', '/api/audio/speakers', await form(join(dir, 'silence.wav'))),
      400,
      /`name`/,
    ],
    [
      'a name of 65 characters',
      async () => enroll('x'.repeat(65), join(dir, 'silence.wav')),
      400,
      /at most 64/,
    ],
    [
      'a Speaker_N name',
      async () => enroll('Speaker_1', join(dir, 'silence.wav')),
      400,
      /unnamed speaker label/,
    ],
    [
      'JSON without a result',
      async () => call('POST', '/api/audio/speakers', { name: 'Eve' }),
      400,
      /result_id/,
    ],
    [
      'an unknown result',
      async () =>
        call('POST', '/api/audio/speakers', { name: 'Eve', result_id: 'nope', speaker: 'Speaker_0' }),
      404,
      /nope/,
    ],
    [
      'a sample for an unknown speaker',
      async () =>
        call(
          'POST',
          '/api/audio/speakers/spk_0000000000000000/samples',
          await form(join(dir, 'silence.wav')),
        ),
      404,
      /No enrolled speaker/,
    ],
  ])('refuses %s with a clear message', async (_n, send, status, why) => {
    const r = await send();
    expect(r.status).toBe(status);
    expect((r.body as { error: { message: string } }).error.message).toMatch(why);
  });

  it('renames, refusing a taken name and an unknown id', async () => {
    const r = await call<EnrolledSpeaker>('PATCH', `/api/audio/speakers/${alice.id}`, { name: 'Alicia' });
    expect(r.body).toMatchObject({ id: alice.id, name: 'Alicia', samples: 2 });
    expect((await call('PATCH', `/api/audio/speakers/${alice.id}`, { name: 'carol' })).status).toBe(409);
    expect((await call('PATCH', '/api/audio/speakers/spk_0000000000000000', { name: 'Zed' })).status).toBe(
      404,
    );
    expect((await call('PATCH', `/api/audio/speakers/${alice.id}`, { name: 'A\u0007' })).status).toBe(400);
  });

  let keptResult: { url: string; id: string; before: SpeakersTranscript };

  it('keeps an async result that names her', async () => {
    const accepted = await call<AudioJobAccepted>(
      'POST',
      '/api/audio/transcribe-with-speakers?async=1',
      await form(aliceMeeting.wav),
    );
    expect(accepted.status).toBe(202);
    const url = accepted.body.result_url;
    const before = await waitFor(async () => {
      const got = await call<SpeakersTranscript>('GET', url);
      return got.status === 200 ? got.body : null;
    });
    expect(before.segments.filter((s) => s.speaker_id === alice.id).length).toBeGreaterThan(0);
    expect(before.speakers_detected).toContain('Alicia');
    keptResult = { url, id: accepted.body.job_id, before };
  });

  it('deletes a speaker and every row of its data', async () => {
    expect((await call('DELETE', `/api/audio/speakers/${alice.id}`)).status).toBe(204);
    expect((await call('GET', `/api/audio/speakers/${alice.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/audio/speakers/${alice.id}`)).status).toBe(404);
    const rows = (table: string, col: string) =>
      c.db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${col} = ?`).pluck().get(alice.id) as number;
    expect(rows('audio_speakers', 'id')).toBe(0);
    expect(rows('audio_speaker_samples', 'speaker_id')).toBe(0);
    expect(c.db.prepare('SELECT COUNT(*) FROM audio_speaker_samples').pluck().get()).toBeGreaterThan(0);
  });

  it('no longer names a deleted speaker: not in a new recording, nor in the kept result', async () => {
    const unnamed = (segments: SpeakersTranscript['segments']) => {
      const labels = new Map<number, Set<string>>();
      for (const seg of segments) {
        expect(seg.speaker).toMatch(/^Speaker_\d+$/);
        expect(seg.speaker_id).toBeUndefined();
        const voice = aliceMeeting.voiceAt((seg.start_ms + seg.end_ms) / 2)!;
        labels.set(voice, (labels.get(voice) ?? new Set()).add(seg.speaker));
      }
      // Her blocks still form one speaker of their own, apart from the other voice.
      expect(labels.get(ALICE)?.size).toBe(1);
      expect([...labels.get(ALICE)!][0]).not.toBe([...labels.get(OTHER)!][0]);
    };
    const again = await call<SpeakersTranscript>(
      'POST',
      '/api/audio/transcribe-with-speakers',
      await form(aliceMeeting.wav),
    );
    expect(again.status).toBe(200);
    unnamed(again.body.segments);
    expect(again.text).not.toMatch(/Alicia|spk_/);

    const kept = await call<SpeakersTranscript>('GET', keptResult.url);
    expect(kept.status).toBe(200);
    unnamed(kept.body.segments);
    expect(kept.text).not.toMatch(/Alicia|spk_/);
    // What was said stays: the same blocks with the same words.
    expect(kept.body.segments.map((s) => s.text)).toEqual(keptResult.before.segments.map((s) => s.text));
    // Her voice from that recording is gone too: it cannot be enrolled from the result again.
    const herLabel = kept.body.segments.find((s) => aliceMeeting.voiceAt(s.start_ms + 1) === ALICE)!.speaker;
    for (const speaker of ['Alicia', herLabel]) {
      const r = await call('POST', '/api/audio/speakers', {
        name: 'Alice',
        result_id: keptResult.id,
        speaker,
      });
      expect(r.status, speaker).toBe(404);
    }
  });

  it('answers a wedged diarizer with 503 + Retry-After 60, keeping nothing', async () => {
    const before = (await call<SpeakersList>('GET', '/api/audio/speakers')).body.speakers.length;
    const fault = (on: boolean) => call('POST', '/api/sim/faults/parakeet-wedge', { on });
    expect((await fault(true)).status).toBe(200);
    try {
      const r = await enroll('Frank', await sample(5, 6, 6));
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('60');
      expect(r.text).not.toMatch(/CUBLAS/);
    } finally {
      await fault(false);
    }
    expect((await call<SpeakersList>('GET', '/api/audio/speakers')).body.speakers).toHaveLength(before);
  });

  it('never answered with a fingerprint, whatever the request', () => {
    expect(JSON.stringify({ v: voiceVector(ALICE) })).toMatch(VECTOR_LIKE);
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) expect(text).not.toMatch(VECTOR_LIKE);
  });
});
