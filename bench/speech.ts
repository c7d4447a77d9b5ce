// `npm run bench -- speech`: mp3 encoding of a 10 s reply (what Magpie sends: PCM16 mono WAV at
// 22.05 kHz), with ffmpeg and with the pure-JS encoder, side by side in one run. Wall time is what a
// client waits for; CPU time (user+sys; ffmpeg's own from its -benchmark line) is what the 2-core
// host pays and does not swing with the machine's load. Targets: ≤ 150 ms with ffmpeg, ≤ 400 ms JS.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { OUTPUT_RATE } from '../src/server/modules/gateway/speech/formats.js';
import { ffmpegArgs, findFfmpeg, runFfmpeg } from '../src/server/modules/gateway/speech/ffmpeg.js';
import { encodeMp3 } from '../src/server/modules/gateway/speech/mp3.js';
import { pcm16Of } from '../src/server/modules/gateway/speech/wav.js';
import { pcm16Wav, speechLikeSamples } from '../src/sim/wav.js';
import { spread } from './stats.js';

const SECONDS = 10;
const RATE = 22050;
const RUNS = 9;

interface Figures {
  runs: number;
  wall_ms: { p50: number; min: number; max: number };
  cpu_ms: { p50: number; min: number; max: number };
  bytes: number;
}

const round = (n: number) => Math.round(n * 10) / 10;
const summary = (xs: number[]) => spread(xs, 1);

/** A 10 s reply as the simulated Magpie makes it (speech-like, not silence: the encoder works). */
function tenSecondReply(): Buffer {
  const text = 'The Spark finished loading the model and is ready to answer questions. '.repeat(3);
  const all = speechLikeSamples(text, RATE, 180);
  const samples = new Int16Array(SECONDS * RATE);
  samples.set(all.subarray(0, samples.length));
  return pcm16Wav(samples, RATE);
}

async function measure(run: () => Promise<{ bytes: number; cpuMs?: number }>): Promise<Figures> {
  await run(); // warm-up: JIT, page cache, ffmpeg's libraries
  const wall: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push(r.cpuMs ?? (c.user + c.system) / 1000);
    bytes = r.bytes;
  }
  return { runs: RUNS, wall_ms: summary(wall), cpu_ms: summary(cpu), bytes };
}

const collect = async (gen: AsyncGenerator<Buffer>) => {
  let n = 0;
  for await (const c of gen) n += c.length;
  return n;
};

/** ffmpeg's own CPU for one encode, from its `-benchmark` line (`bench: utime=0.030s stime=0.004s`). */
function ffmpegCpuMs(ffmpeg: string, wav: Buffer): number {
  const args = ffmpegArgs('mp3', 1).map((a) => (a === 'error' ? 'info' : a));
  const r = spawnSync(ffmpeg, ['-benchmark', ...args], { input: wav, maxBuffer: 64 * 1024 * 1024 });
  const m = /utime=([\d.]+)s stime=([\d.]+)s/.exec(r.stderr.toString());
  return m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN;
}

export async function speechBench(): Promise<Record<string, unknown>> {
  const load = loadavg()[0] ?? NaN;
  const wav = tenSecondReply();
  const pcm = pcm16Of(wav);
  if (!pcm) throw new Error('could not read the generated WAV');
  const ffmpeg = findFfmpeg(null);

  const js = await measure(async () => ({ bytes: await collect(encodeMp3(pcm)) }));
  console.log(
    `mp3, pure-JS encoder: wall p50 ${js.wall_ms.p50} ms, CPU p50 ${js.cpu_ms.p50} ms (target ≤ 400 ms)`,
  );

  let withFfmpeg: (Figures & { node_cpu_ms_p50: number; ffmpeg_cpu_ms_p50: number }) | null = null;
  if (ffmpeg) {
    const nodeCpu: number[] = [];
    const ffCpu: number[] = [];
    const f = await measure(async () => {
      const c0 = process.cpuUsage();
      const bytes = await collect(runFfmpeg(ffmpeg, ffmpegArgs('mp3', 1), wav));
      const c = process.cpuUsage(c0);
      nodeCpu.push((c.user + c.system) / 1000);
      const own = ffmpegCpuMs(ffmpeg, wav);
      ffCpu.push(own);
      return { bytes, cpuMs: (c.user + c.system) / 1000 + own };
    });
    withFfmpeg = { ...f, node_cpu_ms_p50: summary(nodeCpu).p50, ffmpeg_cpu_ms_p50: summary(ffCpu).p50 };
    console.log(
      `mp3, ffmpeg: wall p50 ${f.wall_ms.p50} ms, CPU p50 ${f.cpu_ms.p50} ms ` +
        `(ffmpeg ${withFfmpeg.ffmpeg_cpu_ms_p50} + gateway ${withFfmpeg.node_cpu_ms_p50}) (target ≤ 150 ms)`,
    );
  } else console.log('ffmpeg not found on PATH: only the JS encoder was measured');

  return {
    reply_seconds: SECONDS,
    // Wall times swing with the machine's load (2 shared cores); CPU times do not.
    load_average_1m_at_start: round(load),
    input: `PCM16 mono WAV at ${RATE} Hz (${wav.length} bytes); ffmpeg output at ${OUTPUT_RATE} Hz`,
    js_encoder: { ...js, target_ms: 400, met_wall: js.wall_ms.p50 <= 400, met_cpu: js.cpu_ms.p50 <= 400 },
    ffmpeg: withFfmpeg
      ? {
          ...withFfmpeg,
          target_ms: 150,
          met_wall: withFfmpeg.wall_ms.p50 <= 150,
          met_cpu: withFfmpeg.cpu_ms.p50 <= 150,
        }
      : null,
    ffmpeg_vs_js_wall: withFfmpeg ? round(withFfmpeg.wall_ms.p50 / js.wall_ms.p50) : null,
  };
}
