// WAV on disk, handled natively: the header is read by walking RIFF chunks with positioned reads
// (never the whole file), and a chunk of the recording is a new file with the same `fmt ` chunk
// and a byte range of the samples streamed across — so a 90-minute WAV is cut without holding it.
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

export interface WavLayout {
  /** The `fmt ` chunk's body as found (PCM, float or extensible: copied as is into chunks). */
  fmt: Buffer;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  blockAlign: number;
  /** Where the samples start in the file, and how many bytes of whole frames there are. */
  dataOffset: number;
  dataBytes: number;
  /** Seconds. */
  duration: number;
}

/** Header chunks (LIST, bext…) beyond this before `data` mean the file is not a WAV we read. */
const MAX_HEADER_WALK = 4 * 1024 * 1024;

/**
 * The layout of a WAV file; `null` when the file is not RIFF/WAVE at all, a string saying what is
 * wrong when it is one but broken (truncated, no samples, a bad `fmt `).
 */
export async function probeWav(path: string): Promise<WavLayout | string | null> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const read = async (pos: number, len: number): Promise<Buffer> => {
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, pos);
      return buf.subarray(0, bytesRead);
    };
    const head = await read(0, 12);
    if (
      head.length < 12 ||
      head.toString('latin1', 0, 4) !== 'RIFF' ||
      head.toString('latin1', 8, 12) !== 'WAVE'
    )
      return null;
    let fmt: Buffer | null = null;
    let pos = 12;
    while (pos + 8 <= size && pos < MAX_HEADER_WALK) {
      const ch = await read(pos, 8);
      const id = ch.toString('latin1', 0, 4);
      const len = ch.readUInt32LE(4);
      const body = pos + 8;
      if (id === 'fmt ') {
        if (len < 16 || body + len > size) return 'its fmt chunk is truncated';
        fmt = await read(body, Math.min(len, 64));
      } else if (id === 'data') {
        if (!fmt) return 'its data chunk comes before the fmt chunk';
        const channels = fmt.readUInt16LE(2);
        const sampleRate = fmt.readUInt32LE(4);
        const blockAlign = fmt.readUInt16LE(12);
        if (channels === 0 || sampleRate === 0 || blockAlign === 0) return 'its fmt chunk is invalid';
        const available = size - body;
        // Streamed WAVs carry 0 or 0xFFFFFFFF as the size: take what is there.
        const declared = len === 0 || len === 0xffffffff ? available : len;
        if (declared > available)
          return `it is truncated: the header announces ${declared} bytes of audio but only ${available} arrived`;
        const dataBytes = declared - (declared % blockAlign);
        if (dataBytes === 0) return 'it holds no audio samples';
        return {
          fmt,
          sampleRate,
          channels,
          bitsPerSample: fmt.readUInt16LE(14),
          blockAlign,
          dataOffset: body,
          dataBytes,
          duration: dataBytes / blockAlign / sampleRate,
        };
      }
      pos = body + len + (len % 2);
    }
    return fmt ? 'it has no data chunk (truncated?)' : 'it has no fmt chunk (truncated?)';
  } finally {
    await fh.close();
  }
}

/** A RIFF/WAVE header for `dataBytes` of samples in the given `fmt `. */
export function wavHeader(fmt: Buffer, dataBytes: number): Buffer {
  const h = Buffer.alloc(12 + 8 + fmt.length + 8);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(h.length - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(fmt.length, 16);
  fmt.copy(h, 20);
  h.write('data', 20 + fmt.length, 'latin1');
  h.writeUInt32LE(dataBytes, 24 + fmt.length);
  return h;
}

/** The frame-aligned byte range of [startS, endS) in the samples. */
export function byteRange(w: WavLayout, startS: number, endS: number): { start: number; bytes: number } {
  const frames = w.dataBytes / w.blockAlign;
  const from = Math.max(0, Math.min(frames, Math.round(startS * w.sampleRate)));
  const to = Math.max(from, Math.min(frames, Math.round(endS * w.sampleRate)));
  return { start: w.dataOffset + from * w.blockAlign, bytes: (to - from) * w.blockAlign };
}

/** Writes [startS, endS) of the WAV at `src` to `out` as a WAV of its own, streamed. */
export async function cutWav(
  src: string,
  w: WavLayout,
  span: { startS: number; endS: number },
  out: string,
  signal?: AbortSignal,
): Promise<void> {
  const { start, bytes } = byteRange(w, span.startS, span.endS);
  const file = createWriteStream(out, { flags: 'wx', mode: 0o600 });
  file.write(wavHeader(w.fmt, bytes));
  if (bytes === 0) {
    file.end();
    await new Promise<void>((resolve, reject) => file.once('close', resolve).once('error', reject));
    return;
  }
  await pipeline(createReadStream(src, { start, end: start + bytes - 1 }), file, { signal });
}
