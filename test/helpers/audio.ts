// Helpers for the audio pipeline's integration tests: a simulated cluster with `audio.*` settings
// (a config file of the test's own), multipart posts of files on disk, and a check of a
// transcript's speaker labels against the script that made the recording.
import { mkdtempSync, openAsBlob, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpeakerSegment } from '../../src/common/audio-api.js';
import type { MeetingTimeline } from '../../src/sim/speech/meeting-audio.js';
import { startTestCluster, type TestCluster, type TestClusterOptions } from './harness.js';

export interface AudioCluster extends TestCluster {
  /** A temp dir for the test's own files (removed on close). */
  work: string;
  /** The pipeline's temp root (DATA_DIR/audio-tmp): empty when no request is in flight. */
  tmpEntries(): string[];
}

export async function startAudioCluster(
  audio: Record<string, number>,
  o: TestClusterOptions & { yaml?: string } = {},
): Promise<AudioCluster> {
  const work = mkdtempSync(join(tmpdir(), 'sc-audio-it-'));
  const lines = Object.entries(audio).map(([k, v]) => `  ${k}: ${v}`);
  const configFile = join(work, 'config.yaml');
  writeFileSync(configFile, `audio:\n${lines.join('\n')}\n${o.yaml ?? ''}`);
  const c = await startTestCluster({ startSamplers: true, ...o, env: { CONFIG_FILE: configFile, ...o.env } });
  const close = c.close.bind(c);
  return Object.assign(c, {
    work,
    tmpEntries: () => readdirSync(join(c.dataDir, 'audio-tmp')),
    async close() {
      await close();
      rmSync(work, { recursive: true, force: true });
    },
  });
}

/** POSTs `file` (a path on disk, streamed, or bytes) and the text fields as multipart. */
export async function postAudio(
  url: string,
  file: string | Buffer | null,
  fields: Record<string, string> = {},
  init: { signal?: AbortSignal; filename?: string } = {},
): Promise<Response> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file !== null) {
    const blob = typeof file === 'string' ? await openAsBlob(file) : new Blob([new Uint8Array(file)]);
    fd.append('file', blob, init.filename ?? 'meeting.wav');
  }
  return fetch(url, { method: 'POST', body: fd, signal: init.signal });
}

/** The script's speaker at time `t` (seconds): the turn that covers it, or null in a pause. */
function speakerAt(tl: MeetingTimeline, t: number): number | null {
  return tl.turns.find((x) => t >= x.start_s && t < x.end_s)?.speaker ?? null;
}

/**
 * Compares the transcript's labels with the script up to renaming: each block is judged by the
 * script's speaker over most of its span. Returns the label → script speaker map (each label's
 * majority) and how many blocks disagree with it.
 */
export function labelsAgainstScript(
  segments: SpeakerSegment[],
  tl: MeetingTimeline,
): { mapping: Map<string, number>; disagreements: number; judged: number } {
  const votes = new Map<string, Map<number, number>>();
  const majority: { label: string; speaker: number }[] = [];
  for (const s of segments) {
    const counts = new Map<number, number>();
    for (let t = s.start_ms / 1000; t < s.end_ms / 1000; t += 0.1) {
      const who = speakerAt(tl, t);
      if (who !== null) counts.set(who, (counts.get(who) ?? 0) + 1);
    }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    if (!best) continue;
    majority.push({ label: s.speaker, speaker: best[0] });
    const v = votes.get(s.speaker) ?? new Map<number, number>();
    v.set(best[0], (v.get(best[0]) ?? 0) + 1);
    votes.set(s.speaker, v);
  }
  const mapping = new Map<string, number>();
  for (const [label, v] of votes) mapping.set(label, [...v.entries()].sort((a, b) => b[1] - a[1])[0]![0]);
  const disagreements = majority.filter((m) => mapping.get(m.label) !== m.speaker).length;
  return { mapping, disagreements, judged: majority.length };
}
