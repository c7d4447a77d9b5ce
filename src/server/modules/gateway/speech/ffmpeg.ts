// ffmpeg as the speech encoder: found on PATH (or at gateway.ffmpeg_path), spawned with an argv
// array (no shell), the WAV written to its stdin and the encoded bytes read from its stdout as
// they come. A client that leaves kills it; a non-zero exit or a failed start is an EncoderError.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { OUTPUT_RATE, type SpeechFormat } from './formats.js';

/** The encoder broke (ffmpeg exited non-zero, crashed, or could not start): a 502, never a 500. */
export class EncoderError extends Error {
  constructor(
    readonly encoder: string,
    detail: string,
  ) {
    super(`${encoder} failed: ${detail}`);
    this.name = 'EncoderError';
  }
}

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * The ffmpeg to run, or null when there is none: the configured path if it is an executable file,
 * else the first `ffmpeg` on `PATH`. Cheap enough to ask per request, so installing ffmpeg (or
 * removing it) takes effect without a restart.
 */
export function findFfmpeg(configured: string | null, path = process.env.PATH ?? ''): string | null {
  if (configured) return executable(configured) ? configured : null;
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const file = join(dir, 'ffmpeg');
    if (executable(file)) return file;
  }
  return null;
}

/** atempo takes 0.5–2.0 per filter in older ffmpeg builds: 0.25 is 0.5×0.5, 4 is 2×2. */
export function atempoChain(speed: number): string[] {
  const parts: number[] = [];
  let s = speed;
  while (s > 2) {
    parts.push(2);
    s /= 2;
  }
  while (s < 0.5) {
    parts.push(0.5);
    s /= 0.5;
  }
  parts.push(s);
  return parts.map((p) => `atempo=${Number(p.toFixed(6))}`);
}

const CODEC: Record<SpeechFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
  opus: ['-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg'],
  aac: ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'],
  flac: ['-c:a', 'flac', '-f', 'flac'],
  // A WAV written to a pipe cannot seek back to fill in its sizes: raw samples, wrapped by the caller.
  wav: ['-c:a', 'pcm_s16le', '-f', 's16le'],
  pcm: ['-c:a', 'pcm_s16le', '-f', 's16le'],
};

/** ffmpeg's argv: WAV on stdin → `format`, 24 kHz mono, at `speed`, on stdout. */
export function ffmpegArgs(format: SpeechFormat, speed: number): string[] {
  const filters = speed === 1 ? [] : ['-filter:a', atempoChain(speed).join(',')];
  return [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'wav', '-i', 'pipe:0', '-vn'],
    ...filters,
    ...['-ac', '1', '-ar', String(OUTPUT_RATE)],
    ...CODEC[format],
    'pipe:1',
  ];
}

/** The last thing ffmpeg said on stderr, kept short: the reason it failed. */
const MAX_STDERR = 2000;

/**
 * Runs ffmpeg on `input`, yielding its output as it is written. Throws EncoderError when it cannot
 * start, dies or exits non-zero. Ending the iteration early (the client left) or aborting `signal`
 * kills it.
 */
export async function* runFfmpeg(
  ffmpeg: string,
  args: string[],
  input: Buffer,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'], signal, windowsHide: true });
  let stderr = '';
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null; err?: Error }>((resolve) => {
    // A failed start emits 'error' (and maybe never 'close'): either ends the wait.
    child.once('error', (err) => resolve({ code: null, sig: null, err }));
    child.once('close', (code, sig) => resolve({ code, sig }));
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr = (stderr + s).slice(-MAX_STDERR);
  });
  // ffmpeg may exit before reading everything (bad input): EPIPE here is reported by the exit code.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  try {
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    } catch {
      // A stdout cut short (the process died or never started): the exit below says why.
    }
    const { code, sig, err } = await exited;
    if (err) throw new EncoderError('ffmpeg', `could not run ${ffmpeg} (${err.message})`);
    if (code !== 0) {
      const why = stderr.trim().split('\n').pop() || 'no message';
      throw new EncoderError('ffmpeg', sig ? `killed by ${sig}` : `exit code ${code ?? '?'}: ${why}`);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
