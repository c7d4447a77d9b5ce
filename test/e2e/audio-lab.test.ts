// The Audio lab as the owner uses it on the demo: a simulated 3-speaker meeting dropped on the
// panel, followed chunk by chunk, read back as three coloured speakers whose labels agree with the
// script that made the audio, one voice named "Alice" with "This is…" (the transcript re-labels),
// and Alice deleted again from the speaker library.
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
// Long enough for the long-audio path with the low threshold below: several chunks, so the
// progress says "chunk i of n" and the labels must survive the global clustering.
const DURATION_S = 150;
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
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sc-lab-'));
    wav = join(dir, FILE_NAME);
    timeline = await writeMeetingWav(wav, meetingScript(3, 11), { targetDurationS: DURATION_S });
    const config = join(dir, 'config.yaml');
    writeFileSync(config, JSON.stringify({ audio: AUDIO_CONFIG }));
    [server, browser] = await Promise.all([startServerProcess({ CONFIG_FILE: config }), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const blockSpeakers = () =>
    page.$$eval('[data-testid="lab-block"]', (els) =>
      els.map((e) => ({ speaker: e.getAttribute('data-speaker')!, color: e.getAttribute('data-color')! })),
    );

  it('takes a dropped meeting, follows it by chunk, and shows three coloured speakers that match the script', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-audio').click();
    await page.getByTestId('audio-lab').waitFor();
    await page.getByTestId('lab-library-empty').waitFor();

    // Drop the file as a browser would: a DataTransfer holding a File.
    const bytes = readFileSync(wav).toString('base64');
    const dataTransfer = await page.evaluateHandle(
      ([b64, name]) => {
        const raw = atob(b64);
        const buf = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
        const dt = new DataTransfer();
        dt.items.add(new File([buf], name, { type: 'audio/wav' }));
        return dt;
      },
      [bytes, FILE_NAME] as const,
    );
    await page.getByTestId('lab-drop').dispatchEvent('dragover', { dataTransfer });
    await page.getByTestId('lab-drop').dispatchEvent('drop', { dataTransfer });
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
      await fetch(`${server.url}/api/audio/results/${jobId}`)
    ).json()) as SpeakersTranscript;
    expect(result.chunks).toBeGreaterThan(1);
    const voiceOf = new Map<string, Set<number>>();
    for (const s of result.segments) {
      const v = voiceAt(timeline, s.start_ms + 1);
      if (v === null) continue;
      voiceOf.set(s.speaker, (voiceOf.get(s.speaker) ?? new Set()).add(v));
    }
    expect([...voiceOf.values()].map((v) => v.size)).toEqual([1, 1, 1]);
    expect(new Set([...voiceOf.values()].map((v) => [...v][0])).size).toBe(3);

    // Downloads point at the result in each format.
    expect(await page.getByTestId('lab-download-srt').getAttribute('href')).toBe(
      `/api/audio/results/${jobId}?response_format=srt`,
    );
    const srt = await (await fetch(`${server.url}/api/audio/results/${jobId}?response_format=srt`)).text();
    expect(srt).toMatch(/^1\r?\n00:00:\d\d,\d{3} --> /);
    await page.screenshot({ path: join(ARTIFACTS, 'audio-lab.png'), fullPage: true });
  });

  it('names a voice "Alice" with This is…, and the transcript re-labels that voice only', async () => {
    const before = await blockSpeakers();
    const target = 'Speaker_1';
    const targetBlocks = before.filter((b) => b.speaker === target).length;
    const targetColor = before.find((b) => b.speaker === target)!.color;
    expect(targetBlocks).toBeGreaterThan(0);

    const block = page.locator(`[data-testid="lab-block"][data-speaker="${target}"]`).first();
    await block.getByTestId('lab-enroll-open').click();
    // Keyboard: the name field has the focus, Enter submits.
    await page.keyboard.type('Alice');
    await page.keyboard.press('Enter');

    await page
      .locator('[data-testid="lab-block"][data-speaker="Alice"]')
      .first()
      .waitFor({ timeout: 30_000 });
    const after = await blockSpeakers();
    expect(after.filter((b) => b.speaker === 'Alice').length).toBe(targetBlocks);
    expect(after.some((b) => b.speaker === target)).toBe(false);
    expect([...new Set(after.map((b) => b.speaker))].sort()).toEqual(['Alice', 'Speaker_0', 'Speaker_2']);
    // Alice keeps the colour her voice had.
    for (const b of after.filter((x) => x.speaker === 'Alice')) expect(b.color).toBe(targetColor);
    expect(
      await page
        .locator('[data-testid="lab-block"][data-speaker="Alice"]')
        .first()
        .getAttribute('data-enrolled'),
    ).toBe('true');
    expect(await page.locator('[data-testid="lab-lane"][data-speaker="Alice"]').count()).toBe(1);

    const row = page.locator('[data-testid="lab-speaker"][data-name="Alice"]');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/1 sample · added \S/);
    await page.screenshot({ path: join(ARTIFACTS, 'audio-lab-enrolled.png'), fullPage: true });
  });

  it('deletes Alice from the library after confirming, and the voice is Speaker_N again', async () => {
    await page
      .locator('[data-testid="lab-speaker"][data-name="Alice"]')
      .getByTestId('lab-speaker-delete')
      .click();
    const dialog = page.getByTestId('lab-speaker-delete-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Deletes Alice and the stored voice \(1 sample\)/);
    await page.getByTestId('confirm-action').click();
    await page.getByTestId('lab-library-empty').waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="lab-block"][data-speaker="Alice"]'),
      undefined,
      {
        timeout: 30_000,
      },
    );
    expect([...new Set((await blockSpeakers()).map((b) => b.speaker))].sort()).toEqual([
      'Speaker_0',
      'Speaker_1',
      'Speaker_2',
    ]);
    const library = (await (await fetch(`${server.url}/api/audio/speakers`)).json()) as {
      speakers: unknown[];
    };
    expect(library.speakers).toEqual([]);
  });
});
