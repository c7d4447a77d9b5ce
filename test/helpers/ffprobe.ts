// What ffmpeg makes of encoded audio bytes (tests of the speech formats; CI installs ffmpeg).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Probed {
  codec: string;
  sampleRate: number;
  channels: number;
  /** Seconds, from the decoded samples (ADTS and Ogg carry no duration of their own). */
  duration: number;
}

/** Probes and fully decodes `bytes` (`ext` names the container); throws when ffmpeg cannot. */
export function probeAudio(bytes: Buffer | Uint8Array, ext: string): Probed {
  const dir = mkdtempSync(join(tmpdir(), 'sc-probe-'));
  try {
    const file = join(dir, `audio.${ext}`);
    writeFileSync(file, bytes);
    const out = execFileSync('ffprobe', [
      ...['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels', '-of', 'json', file],
    ]).toString();
    const s = (
      JSON.parse(out) as { streams: { codec_name: string; sample_rate: string; channels: number }[] }
    ).streams[0];
    const decoded = execFileSync('ffmpeg', [
      ...['-v', 'error', '-xerror', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '8000', '-'],
    ]);
    return {
      codec: s?.codec_name ?? '',
      sampleRate: Number(s?.sample_rate),
      channels: s?.channels ?? 0,
      duration: decoded.length / 16000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
