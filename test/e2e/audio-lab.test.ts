// The Audio lab as the owner uses it on the demo: a simulated 3-speaker meeting dropped on the
// panel, followed chunk by chunk, read back as three coloured speakers whose labels agree with the
// script that made the audio; one voice named "Alice" with "This is…", and a second meeting of the
// same people that comes back with Alice named; Alice deleted again from the speaker library.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpeakersTranscript } from '../../src/common/audio-api.js';
import { meetingScript, writeMeetingWav, type MeetingTimeline } from '../../src/sim/speech/meeting-audio.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const FILE_NAME = 'standup-3-speakers.wav';
const SECOND_NAME = 'planning-3-speakers.wav';
// Long enough for the long-audio path with the low threshold below: several chunks, so the
// progress says "chunk i of n" and the labels must survive the global clustering.
const DURATION_S = 150;
/** Under the threshold: the short path, one chunk. */
const SECOND_DURATION_S = 45;
const API_KEY = 'sk-e2e-audio-lab-key-0001';
/** The test's own reads of results, as another app makes them: with the key. */
const KEYED = { headers: { authorization: `Bearer ${API_KEY}` } };
const AUDIO_CONFIG = { long_audio_threshold_s: 60, chunk_s: 40, chunk_overlap_s: 2 };

/** The voice (script speaker) talking at `ms`, from the timeline that made the audio. */
function voiceAt(timeline: MeetingTimeline, ms: number): number | null {
  const s = ms / 1000;
  const word = timeline.words.find((w) => s >= w.start_s - 0.05 && s <= w.end_s + 0.05);
  return word ? word.speaker : null;
}

describe('Audio lab on the simulated cluster', () => {
  let dir: string;
  let wav: string;
  let timeline: MeetingTimeline;
  let second: string;
  let secondTimeline: MeetingTimeline;
  /** The script voice behind each label of the first recording. */
  const voiceOfLabel = new Map<string, number>();
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sc-lab-'));
    wav = join(dir, FILE_NAME);
    timeline = await writeMeetingWav(wav, meetingScript(3, 11), { targetDurationS: DURATION_S });
    second = join(dir, SECOND_NAME);
    secondTimeline = await writeMeetingWav(second, meetingScript(3, 29), {
      targetDurationS: SECOND_DURATION_S,
      seed: 7,
    });
    const config = join(dir, 'config.yaml');
    // Gateway API keys on and the admin login off, as many owners run it: the lab's own requests
    // must still pass the data routes' key rule (they answered 401 there once).
    writeFileSync(
      config,
      JSON.stringify({ audio: AUDIO_CONFIG, api_keys: [{ name: 'apps', key: API_KEY }] }),
    );
    [server, browser] = await Promise.all([startServerProcess({ CONFIG_FILE: config }), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Drops the file as a browser would: a DataTransfer holding a File. */
  const dropFile = async (path: string, name: string) => {
    const bytes = readFileSync(path).toString('base64');
    const dataTransfer = await page.evaluateHandle(
      ([b64, fileName]) => {
        const raw = atob(b64);
        const buf = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
        const dt = new DataTransfer();
        dt.items.add(new File([buf], fileName, { type: 'audio/wav' }));
        return dt;
      },
      [bytes, name] as const,
    );
    await page.getByTestId('lab-drop').dispatchEvent('dragover', { dataTransfer });
    await page.getByTestId('lab-drop').dispatchEvent('drop', { dataTransfer });
  };

  /** The label → script voice map of a result, and the labels that met more than one voice. */
  const voicesOf = (t: SpeakersTranscript, tl: MeetingTimeline) => {
    const voices = new Map<string, Set<number>>();
    for (const s of t.segments) {
      const v = voiceAt(tl, s.start_ms + 1);
      if (v !== null) voices.set(s.speaker, (voices.get(s.speaker) ?? new Set()).add(v));
    }
    return voices;
  };

  const resultOf = async (jobId: string) =>
    (await (await fetch(`${server.url}/api/audio/results/${jobId}`, KEYED)).json()) as SpeakersTranscript;

  const blockSpeakers = () =>
    page.$$eval('[data-testid="lab-block"]', (els) =>
      els.map((e) => ({ speaker: e.getAttribute('data-speaker')!, color: e.getAttribute('data-color')! })),
    );

  it('takes a dropped meeting, follows it by chunk, and shows three coloured speakers that match the script', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-audio').click();
    await page.getByTestId('audio-lab').waitFor();
    await page.getByTestId('lab-library-empty').waitFor();

    await dropFile(wav, FILE_NAME);
    const info = await page.getByTestId('lab-file-info').textContent();
    expect(info).toContain(FILE_NAME);
    expect(info).toMatch(/\d(\.\d)? MB/);

    // Every progress line the panel shows, however quickly the job runs.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __labProgress: string[] }).__labProgress = seen;
      new MutationObserver(() => {
        const t = document.querySelector('[data-testid="lab-progress-text"]')?.textContent;
        if (t && seen[seen.length - 1] !== t) seen.push(t);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('lab-submit').click();
    await page.getByTestId('lab-job').waitFor({ timeout: 30_000 });
    await page.getByTestId('lab-transcript').waitFor({ timeout: 110_000 });
    const seen = await page.evaluate(() => (window as unknown as { __labProgress: string[] }).__labProgress);
    const chunkLines = seen.map((t) => /chunk (\d+) of (\d+)/.exec(t)).filter((m) => m !== null);
    expect(chunkLines.length, `progress seen: ${seen.join(' | ')}`).toBeGreaterThan(0);
    expect(Number(chunkLines[0]![2])).toBeGreaterThan(1);
    expect(await page.getByTestId('lab-job').getAttribute('data-state')).toBe('succeeded');

    // Three speakers, each its own colour, each with a lane on the timeline.
    const blocks = await blockSpeakers();
    const speakers = [...new Set(blocks.map((b) => b.speaker))];
    expect(speakers.sort()).toEqual(['Speaker_0', 'Speaker_1', 'Speaker_2']);
    const colorOf = new Map(blocks.map((b) => [b.speaker, b.color]));
    expect(new Set(colorOf.values()).size).toBe(3);
    for (const b of blocks) expect(b.color).toBe(colorOf.get(b.speaker));
    expect(await page.getByTestId('lab-lane').count()).toBe(3);
    // Start times are offsets into the recording.
    expect(await page.locator('[data-testid="lab-block"] .mono').first().textContent()).toMatch(
      /^\d\d:\d\d$/,
    );

    // The labels agree with the script across all chunks: one label per voice, one voice per label.
    const jobId = (await page.getByTestId('lab-job').getAttribute('data-job-id'))!;
    const result = (await (
      await fetch(`${server.url}/api/audio/results/${jobId}`, KEYED)
    ).json()) as SpeakersTranscript;
    expect(result.chunks).toBeGreaterThan(1);
    const voiceOf = voicesOf(result, timeline);
    expect([...voiceOf.values()].map((v) => v.size)).toEqual([1, 1, 1]);
    expect(new Set([...voiceOf.values()].map((v) => [...v][0])).size).toBe(3);
    for (const [label, v] of voiceOf) voiceOfLabel.set(label, [...v][0]!);

    // Downloads point at the result in each format.
    expect(await page.getByTestId('lab-download-srt').getAttribute('href')).toBe(
      `/api/audio/results/${jobId}?response_format=srt`,
    );
    const srt = await (
      await fetch(`${server.url}/api/audio/results/${jobId}?response_format=srt`, KEYED)
    ).text();
    expect(srt).toMatch(/^1\r?\n00:00:\d\d,\d{3} --> /);
    await page.screenshot({ path: join(ARTIFACTS, 'audio-lab.png'), fullPage: true });
  });

  it('names a voice "Alice" with This is…, and a second meeting of the same people names her', async () => {
    const target = 'Speaker_1';
    const block = page.locator(`[data-testid="lab-block"][data-speaker="${target}"]`).first();
    await block.getByTestId('lab-enroll-open').click();
    // Keyboard: the name field has the focus, Enter submits.
    await page.keyboard.type('Alice');
    await page.keyboard.press('Enter');
    const row = page.locator('[data-testid="lab-speaker"][data-name="Alice"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toMatch(/1 sample · added \S/);
    await page.getByTestId('lab-enroll').waitFor({ state: 'detached' });
    // The transcript was read again: either it names Alice now, or it says it keeps its labels.
    await page
      .locator('[data-testid="lab-enrolled-note"], [data-testid="lab-block"][data-speaker="Alice"]')
      .first()
      .waitFor();
    const named = await page.locator('[data-testid="lab-block"][data-speaker="Alice"]').count();
    const note = await page.getByTestId('lab-enrolled-note').count();
    expect(named > 0 !== note > 0).toBe(true);

    // The second meeting, dropped like the first: Alice is named there, and only for her voice.
    await dropFile(second, SECOND_NAME);
    expect(await page.getByTestId('lab-file-info').textContent()).toContain(SECOND_NAME);
    await page.getByTestId('lab-submit').click();
    await page.waitForFunction(
      (name) =>
        !!document.querySelector('[data-testid="lab-error"]') ||
        (document.querySelectorAll('[data-testid="lab-job"]').length === 1 &&
          !!document.querySelector('[data-testid="lab-job"]')?.textContent?.includes(name)),
      SECOND_NAME,
      { timeout: 30_000 },
    );
    const errors = await page.getByTestId('lab-error').allTextContents();
    expect(errors).toEqual([]);
    await page.getByTestId('lab-transcript').waitFor({ timeout: 110_000 });
    await page
      .locator('[data-testid="lab-block"][data-speaker="Alice"]')
      .first()
      .waitFor({ timeout: 10_000 });
    const jobId = (await page.getByTestId('lab-job').getAttribute('data-job-id'))!;
    const result = await resultOf(jobId);
    const library = (await (await fetch(`${server.url}/api/audio/speakers`)).json()) as {
      speakers: { id: string; name: string }[];
    };
    const alice = library.speakers.find((s) => s.name === 'Alice')!;
    const voices = voicesOf(result, secondTimeline);
    expect([...(voices.get('Alice') ?? [])]).toEqual([voiceOfLabel.get(target)]);
    for (const [label, v] of voices)
      if (label !== 'Alice') expect(v.has(voiceOfLabel.get(target)!)).toBe(false);
    expect(result.segments.filter((s) => s.speaker === 'Alice').every((s) => s.speaker_id === alice.id)).toBe(
      true,
    );
    expect(result.speakers_detected).toHaveLength(3);

    const blocks = await blockSpeakers();
    expect(new Set(blocks.map((b) => b.speaker))).toEqual(new Set(result.speakers_detected));
    expect(new Set(blocks.map((b) => b.color)).size).toBe(3);
    expect(
      await page
        .locator('[data-testid="lab-block"][data-speaker="Alice"]')
        .first()
        .getAttribute('data-enrolled'),
    ).toBe('true');
    expect(
      await page
        .locator('[data-testid="lab-block"][data-speaker="Alice"] [data-testid="lab-enroll-open"]')
        .count(),
    ).toBe(0);
    expect(await page.locator('[data-testid="lab-lane"][data-speaker="Alice"]').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'audio-lab-enrolled.png'), fullPage: true });

    // A reload shows the last recording again (remembered per browser, read from the server).
    await page.reload();
    await page.getByTestId('tab-audio').click();
    await page
      .locator('[data-testid="lab-block"][data-speaker="Alice"]')
      .first()
      .waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('lab-job').getAttribute('data-job-id')).toBe(jobId);
    expect(await page.getByTestId('lab-job').getAttribute('data-state')).toBe('succeeded');
  });

  it('renames a speaker in place, refusing a Speaker_N name, and the library keeps the new name', async () => {
    const rename = async (from: string) => {
      await page.getByRole('button', { name: `Rename ${from}` }).click();
      return page.getByRole('textbox', { name: `New name for ${from}` });
    };
    const box = await rename('Alice');
    await box.fill('Speaker_3');
    // A name the labels use would be ambiguous: said at once, Save stays off.
    const form = page.getByRole('form', { name: 'Rename Alice' });
    expect(await form.getByRole('alert').textContent()).toMatch(/unnamed speaker label/);
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await box.fill('Alicia');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="lab-speaker"][data-name="Alicia"]').waitFor({ timeout: 15_000 });
    const names = async () =>
      (
        (await (await fetch(`${server.url}/api/audio/speakers`)).json()) as { speakers: { name: string }[] }
      ).speakers.map((x) => x.name);
    expect(await names()).toEqual(['Alicia']);
    // And back, for the deletion below.
    await (await rename('Alicia')).fill('Alice');
    await page.getByRole('form', { name: 'Rename Alicia' }).getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="lab-speaker"][data-name="Alice"]').waitFor({ timeout: 15_000 });
    expect(await names()).toEqual(['Alice']);
  });

  it('deletes Alice from the library after saying what that does', async () => {
    await page
      .locator('[data-testid="lab-speaker"][data-name="Alice"]')
      .getByTestId('lab-speaker-delete')
      .click();
    const dialog = page.getByTestId('lab-speaker-delete-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Deletes Alice and the stored voice \(1 sample\)/);
    await page.getByTestId('confirm-action').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('lab-library-empty').waitFor({ timeout: 15_000 });
    const library = (await (await fetch(`${server.url}/api/audio/speakers`)).json()) as {
      speakers: unknown[];
    };
    expect(library.speakers).toEqual([]);
  });

  it('refuses a file that is no audio in plain words, and shows no transcript for it', async () => {
    const notes = join(dir, 'notes.wav');
    writeFileSync(notes, 'Agenda: swap tonight, budget on Thursday.\n'.repeat(200));
    await dropFile(notes, 'notes.wav');
    await page.getByTestId('lab-submit').click();
    // Refused at once (no ffmpeg to try it), or by its job (ffmpeg tried and found no audio).
    const refusal = page.locator('[data-testid="lab-error"], [data-testid="lab-job-error"]').first();
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect(await refusal.textContent()).toMatch(/audio|WAV/);
    expect(await page.getByTestId('lab-transcript').count()).toBe(0);
  });
});
