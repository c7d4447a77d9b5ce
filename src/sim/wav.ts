// Real audio bytes for the speech fakes: PCM16 mono WAV files (RIFF/WAVE with `fmt ` and `data`
// chunks), a header reader that walks the chunks the way soundfile does, and duration estimates for
// the compressed uploads the seed's Parakeet also accepts (it decodes them with ffmpeg).

export interface WavInfo {
  /** WAVE_FORMAT_*: 1 PCM, 3 IEEE float, 0xFFFE extensible. */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** The `data` chunk's bytes (clipped to what was uploaded). */
  data: Buffer;
  /** Seconds: data bytes / (sample rate × block align). */
  duration: number;
}

/** A PCM16 mono WAV: the canonical 44-byte header followed by the samples. */
export function pcm16Wav(samples: Int16Array, sampleRate: number): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * A quiet "voice" for `text`: 70 ms per character, a sine whose pitch depends on the voice, loud on
 * letters and soft on spaces and punctuation, so the result is clearly not silence.
 */
export function speechLikeSamples(text: string, sampleRate: number, pitchHz: number): Int16Array {
  const perChar = Math.round(sampleRate * 0.07);
  const chars = [...text];
  const out = new Int16Array(perChar * chars.length);
  chars.forEach((ch, i) => {
    const loud = /[\p{L}\p{N}]/u.test(ch) ? 1800 : 250;
    for (let j = 0; j < perChar; j++) {
      const n = i * perChar + j;
      const edge = Math.min(1, j / 80, (perChar - j) / 80); // no clicks between characters
      out[n] = Math.round(loud * edge * Math.sin((2 * Math.PI * pitchHz * n) / sampleRate));
    }
  });
  return out;
}

/** The canonical 44-byte header of a PCM16 mono WAV holding `samples` samples. */
export function wavHeader(samples: number, rate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(Math.min(0xffffffff, 36 + samples * 2), 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(Math.min(0xffffffff, samples * 2), 40);
  return h;
}

/** Reads a RIFF/WAVE header; a string says why the bytes are not a usable WAV. */
export function parseWav(buf: Buffer): WavInfo | string {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    return 'not a RIFF/WAVE file';
  }
  let fmt: Omit<WavInfo, 'data' | 'duration'> | undefined;
  let blockAlign = 0;
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) return 'truncated fmt chunk';
      fmt = {
        format: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
      blockAlign = buf.readUInt16LE(body + 12);
    } else if (id === 'data') {
      if (!fmt) return 'data chunk before fmt chunk';
      if (fmt.channels === 0 || fmt.sampleRate === 0 || blockAlign === 0) return 'invalid fmt chunk';
      // Streamed WAVs carry 0 or 0xFFFFFFFF here; take what was actually uploaded.
      const end = size === 0 || size === 0xffffffff ? buf.length : Math.min(buf.length, body + size);
      const data = buf.subarray(body, end);
      const frames = Math.floor(data.length / blockAlign);
      return { ...fmt, data, duration: frames / fmt.sampleRate };
    }
    pos = body + size + (size % 2);
  }
  return fmt ? 'no data chunk' : 'no fmt chunk';
}

/** True when PCM16 (or any all-zero) audio never rises above a whisper. */
export function isSilent(w: WavInfo): boolean {
  if (w.format === 1 && w.bitsPerSample === 16) {
    for (let i = 0; i + 1 < w.data.length; i += 2) if (Math.abs(w.data.readInt16LE(i)) > 64) return false;
    return true;
  }
  return w.data.every((b) => b === 0);
}

/** Compressed formats recognised by their magic bytes, with a typical bitrate (bits/s) for speech. */
const COMPRESSED: { name: string; bitrate: number; test: (b: Buffer) => boolean }[] = [
  { name: 'mp3', bitrate: 128_000, test: (b) => b.toString('latin1', 0, 3) === 'ID3' },
  { name: 'mp3', bitrate: 128_000, test: (b) => b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0 },
  { name: 'ogg', bitrate: 32_000, test: (b) => b.toString('latin1', 0, 4) === 'OggS' },
  { name: 'webm', bitrate: 32_000, test: (b) => b.readUInt32BE(0) === 0x1a45dfa3 },
  { name: 'flac', bitrate: 256_000, test: (b) => b.toString('latin1', 0, 4) === 'fLaC' },
  { name: 'm4a', bitrate: 128_000, test: (b) => b.toString('latin1', 4, 8) === 'ftyp' },
];

/** The duration of a compressed upload, estimated from its size; null when the bytes are not audio. */
export function estimateCompressed(buf: Buffer): { format: string; duration: number } | null {
  if (buf.length < 8) return null;
  const kind = COMPRESSED.find((c) => c.test(buf));
  return kind ? { format: kind.name, duration: (buf.length * 8) / kind.bitrate } : null;
}
