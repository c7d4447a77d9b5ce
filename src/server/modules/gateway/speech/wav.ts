// The WAV Magpie answers, read without ffmpeg: its format (rate, channels, bits) and samples, a
// linear resampler for `pcm` (OpenAI's is 24 kHz) and a header for WAV files we assemble.

export interface Pcm16 {
  rate: number;
  /** Mono 16-bit samples. */
  samples: Int16Array;
}

export interface WavFormat {
  /** WAVE_FORMAT_*: 1 is integer PCM. */
  format: number;
  channels: number;
  rate: number;
  bits: number;
  data: Buffer;
}

/** The `fmt ` and `data` chunks of a RIFF/WAVE file, or null when it is not one. */
export function readWav(wav: Buffer): WavFormat | null {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    return null;
  }
  let fmt: Omit<WavFormat, 'data'> | null = null;
  for (let off = 12; off + 8 <= wav.length;) {
    const id = wav.toString('ascii', off, off + 4);
    const size = wav.readUInt32LE(off + 4);
    if (id === 'fmt ' && off + 24 <= wav.length) {
      fmt = {
        format: wav.readUInt16LE(off + 8),
        channels: wav.readUInt16LE(off + 10),
        rate: wav.readUInt32LE(off + 12),
        bits: wav.readUInt16LE(off + 22),
      };
    }
    // A streamed WAV may say 0 or 0xFFFFFFFF for its data size: the data runs to the end.
    if (id === 'data')
      return fmt && { ...fmt, data: wav.subarray(off + 8, Math.min(wav.length, off + 8 + size)) };
    off += 8 + size + (size & 1);
  }
  return null;
}

/** Mono PCM16 samples of a WAV (what Magpie sends), or null for any other kind of WAV. */
export function pcm16Of(wav: Buffer): Pcm16 | null {
  const f = readWav(wav);
  if (!f || f.format !== 1 || f.channels !== 1 || f.bits !== 16 || f.rate < 1) return null;
  const n = Math.floor(f.data.length / 2);
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++) samples[i] = f.data.readInt16LE(i * 2);
  return { rate: f.rate, samples };
}

/**
 * Linear-interpolation resampling: enough for speech between 22.05 and 24 kHz (the only change
 * the gateway makes without ffmpeg); ffmpeg's resampler is used whenever it is installed.
 */
export function resample(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to || samples.length === 0) return samples;
  const n = Math.max(1, Math.round((samples.length * to) / from));
  const out = new Int16Array(n);
  const step = from / to;
  const last = samples.length - 1;
  for (let i = 0; i < n; i++) {
    const pos = i * step;
    const j = Math.min(Math.floor(pos), last);
    const k = Math.min(j + 1, last);
    const t = pos - j;
    out[i] = Math.round((samples[j] ?? 0) * (1 - t) + (samples[k] ?? 0) * t);
  }
  return out;
}

/** Little-endian bytes of the samples (OpenAI's `pcm`). */
export const pcmBytes = (s: Int16Array): Buffer => {
  const out = Buffer.alloc(s.length * 2);
  for (let i = 0; i < s.length; i++) out.writeInt16LE(s[i] ?? 0, i * 2);
  return out;
};

/** A canonical 44-byte PCM16 mono WAV around `data`. */
export function wavFile(data: Buffer, rate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
