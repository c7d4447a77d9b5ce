// What an upload is, before any GPU work: WAV is read natively (header → duration); other
// containers (mp3, m4a, ogg/opus, webm, flac, …) are decoded by ffmpeg, when the control-plane
// host has it, to 16 kHz mono PCM16 WAV in the upload's temp dir. Without ffmpeg a short
// compressed file still goes to Parakeet as it is (the app decodes it itself), but a long one
// cannot be cut into chunks: 415 naming what to install. Bytes that are no audio are a 415,
// a broken WAV a 400 — before the GPU is asked anything.
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFile } from 'music-metadata';
import { AppError } from '../../platform/http/errors.js';
import { probeWav, type WavLayout } from './wav-file.js';

export interface PreparedAudio {
  /** The file to send on: the upload itself, or its decoded WAV. */
  path: string;
  /** Its layout when it is a WAV (always, when ffmpeg was used). */
  wav: WavLayout | null;
  /** Seconds; an estimate from the size for a compressed file sent as is. */
  durationS: number;
  /** The container as recognised: `wav`, `mp3`, … or `unknown` (ffmpeg read it). */
  container: string;
}

/**
 * Compressed containers by magic bytes, with a typical speech bitrate (bits/s): the estimate used
 * only when the container's own headers give no duration.
 */
const CONTAINERS: { name: string; bitrate: number; test: (b: Buffer) => boolean }[] = [
  { name: 'mp3', bitrate: 128_000, test: (b) => b.toString('latin1', 0, 3) === 'ID3' },
  { name: 'mp3', bitrate: 128_000, test: (b) => b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0 },
  { name: 'ogg', bitrate: 32_000, test: (b) => b.toString('latin1', 0, 4) === 'OggS' },
  { name: 'webm', bitrate: 32_000, test: (b) => b.length >= 4 && b.readUInt32BE(0) === 0x1a45dfa3 },
  { name: 'flac', bitrate: 256_000, test: (b) => b.toString('latin1', 0, 4) === 'fLaC' },
  { name: 'm4a', bitrate: 96_000, test: (b) => b.toString('latin1', 4, 8) === 'ftyp' },
];

/** The compressed container `head` starts like, or null. */
export function sniffContainer(head: Buffer): { name: string; bitrate: number } | null {
  if (head.length < 8) return null;
  return CONTAINERS.find((c) => c.test(head)) ?? null;
}

const unsupported = (message: string) => new AppError('UNSUPPORTED_MEDIA_TYPE', message);

const MAX_STDERR = 2000;

/** ffmpeg → 16 kHz mono PCM16 WAV on disk. Throws with ffmpeg's last line when it cannot decode. */
export async function decodeToWav(
  ffmpeg: string,
  input: string,
  output: string,
  signal?: AbortSignal,
): Promise<void> {
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    input,
    '-vn',
    '-ac',
    '1',
    '-ar',
    '16000',
  ];
  args.push('-c:a', 'pcm_s16le', '-f', 'wav', '-y', output);
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'], signal, windowsHide: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr = (stderr + s).slice(-MAX_STDERR);
  });
  const { code, err } = await new Promise<{ code: number | null; err?: Error }>((resolve) => {
    child.once('error', (e) => resolve({ code: null, err: e }));
    child.once('close', (c) => resolve({ code: c }));
  });
  if (signal?.aborted) throw signal.reason as Error;
  if (err) throw new Error(`could not run ${ffmpeg} (${err.message})`);
  if (code !== 0) throw new Error(stderr.trim().split('\n').pop() || `exit code ${code ?? '?'}`);
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64);
    const { bytesRead } = await fh.read(buf, 0, 64, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** What an upload is, found without decoding it (cheap: before a job starts or a slot is taken). */
export type InspectedAudio =
  | { kind: 'wav'; wav: WavLayout }
  /** A compressed container sent on as is (no ffmpeg here; short enough for one request). */
  | { kind: 'as-is'; container: string; estimateS: number }
  /**
   * To be decoded by ffmpeg (a known container, or bytes only ffmpeg can judge). `statedS` is the
   * duration its headers state (null when they say none): a long one can be admitted under
   * audio.max_long_runs, or refused, before seconds of decoding are spent on it.
   */
  | { kind: 'decode'; container: string; ffmpeg: string; statedS: number | null };

export interface InspectOptions {
  /** The ffmpeg binary, or null when the host has none. */
  ffmpeg: string | null;
  /** Inputs longer than this are cut into chunks (audio.long_audio_threshold_s). */
  longThresholdS: number;
  /**
   * With ffmpeg: read the duration the headers state (`statedS`; default true). Only a synchronous
   * request is admitted by it; a job is admitted before it exists, so the read would be wasted
   * (a frame scan of the whole file for an mp3 without a Xing header).
   */
  statedDuration?: boolean;
}

/** 400 for a broken WAV, 415 for bytes that are no audio or a long file nothing here can cut. */
export async function inspectAudio(
  file: { path: string; bytes: number },
  o: InspectOptions,
): Promise<InspectedAudio> {
  const wav = await probeWav(file.path);
  if (typeof wav === 'string') throw new AppError('BAD_REQUEST', `The uploaded WAV cannot be used: ${wav}.`);
  if (wav) return { kind: 'wav', wav };
  const kind = sniffContainer(await readHead(file.path));
  if (o.ffmpeg) {
    const statedS = o.statedDuration === false ? null : await containerDuration(file.path);
    return { kind: 'decode', container: kind?.name ?? 'unknown', ffmpeg: o.ffmpeg, statedS };
  }
  if (!kind)
    throw unsupported(
      'The upload is not audio this server can read: send WAV, or mp3, m4a, ogg/opus, webm or flac ' +
        '(long recordings in those need ffmpeg on the control-plane host).',
    );
  const measuredS = await containerDuration(file.path);
  const estimateS = measuredS ?? (file.bytes * 8) / kind.bitrate;
  if (estimateS > o.longThresholdS)
    throw unsupported(
      `This ${kind.name} recording ${measuredS === null ? 'looks longer than' : `is ${Math.round(measuredS)} s long, over`} ` +
        `${o.longThresholdS} s, so it must be decoded and cut ` +
        'into chunks, which needs ffmpeg on the control-plane host (Debian/Ubuntu: apt install ffmpeg; ' +
        'or set gateway.ffmpeg_path). Send it as WAV, or install ffmpeg.',
    );
  return { kind: 'as-is', container: kind.name, estimateS };
}

/**
 * The duration a compressed container states (mp3 Xing/VBRI or a frame scan, Ogg's last granule,
 * Matroska's Duration, MP4's mvhd, FLAC's STREAMINFO), read by music-metadata without decoding.
 * A size-and-bitrate guess was off by 2× and more (a 16 kbit/s Opus file read as half its length),
 * which sent long recordings to Parakeet whole. Null when the headers say nothing usable.
 */
async function containerDuration(path: string): Promise<number | null> {
  try {
    const { format } = await parseFile(path, { duration: true, skipCovers: true });
    const d = format.duration;
    return d !== undefined && Number.isFinite(d) && d > 0 ? d : null;
  } catch {
    return null; // damaged headers: the estimate decides, and Parakeet judges the bytes
  }
}

/** The inspected upload made ready to send: decoded to WAV in `workDir` when it needs it. */
export async function materializeAudio(
  file: { path: string },
  inspected: InspectedAudio,
  o: { workDir: string; signal?: AbortSignal },
): Promise<PreparedAudio> {
  if (inspected.kind === 'wav')
    return { path: file.path, wav: inspected.wav, durationS: inspected.wav.duration, container: 'wav' };
  if (inspected.kind === 'as-is')
    return { path: file.path, wav: null, durationS: inspected.estimateS, container: inspected.container };
  const out = join(o.workDir, 'decoded.wav');
  const known = inspected.container !== 'unknown';
  try {
    await decodeToWav(inspected.ffmpeg, file.path, out, o.signal);
  } catch (err) {
    if (o.signal?.aborted) throw err;
    const why = (err as Error).message.slice(0, 300);
    throw unsupported(
      known
        ? `The ${inspected.container} upload could not be decoded (ffmpeg: ${why}); it may be truncated or damaged.`
        : `The upload is not audio ffmpeg can read (${why}).`,
    );
  }
  const decoded = await probeWav(out);
  if (!decoded || typeof decoded === 'string')
    throw unsupported('The upload decoded to no audio (is it empty or damaged?).');
  return { path: out, wav: decoded, durationS: decoded.duration, container: inspected.container };
}
