// Small PCM16 mono WAV files made in memory for audio tests (no fixtures on disk).

/** `seconds` of a tone (`hz`, 0 = silence) as a PCM16 mono WAV at `rate`. */
export function pcmWav(seconds: number, opts: { rate?: number; hz?: number } = {}): Buffer {
  const rate = opts.rate ?? 16_000;
  const hz = opts.hz ?? 440;
  const n = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + n * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + n * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(n * 2, 40);
  if (hz > 0)
    for (let i = 0; i < n; i++)
      wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  return wav;
}
