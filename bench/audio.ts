// `npm run bench -- audio`: the pure heart of the audio pipeline (issue 11) on a 90-minute meeting.
// - merge: 15k words + 900 diarization turns → speaker blocks (target ≤ 20 ms), beside scoring every
//   turn for every word (the obvious way) in the same run, as a ratio;
// - clustering: 18 chunks × 4 speakers' 192-float fingerprints, agglomerative (target ≤ 5 ms);
// - stitching those 18 chunks' words and turns into one transcript (no target; for context).
// Wall time swings with the load of the 2 shared cores; CPU time (user+sys) much less.
// Then the long-job figures (peak RSS growth, parallel vs sequential chunking) against the
// simulator over real HTTP: `longAudioJobFigures` below.
import { loadavg } from 'node:os';
import type { TimedWord } from '../src/common/audio-api.js';
import { planChunks } from '../src/server/modules/audio/core/chunk-plan.js';
import { clusterFingerprints } from '../src/server/modules/audio/core/cluster.js';
import { mergeWordsIntoBlocks, type Turn } from '../src/server/modules/audio/core/merge.js';
import { stitchChunks, type ChunkOutcome } from '../src/server/modules/audio/core/stitch.js';
import { fingerprint, rng, voice } from '../src/server/modules/audio/core/test-voices.js';
import { measureLongAudioJob } from './audio-long.js';
import { percentile, round, verdict } from './stats.js';

const DURATION_S = 90 * 60;
const SPEAKERS = 4;
const CHUNKS = 18;
const TARGET_MERGE_MS = 20;
const TARGET_CLUSTER_MS = 5;

/**
 * A 90-minute meeting as the ASR and diarizer see it: ~900 turns of 4 speakers (3–9 s, a pause
 * now and then, some overlapping speech) and ~15k words (≈ 2.8 words/s, with punctuation tokens).
 */
function meeting(seed = 1): { words: TimedWord[]; turns: Turn[] } {
  const r = rng(seed);
  const turns: Turn[] = [];
  const words: TimedWord[] = [];
  const vocabulary = ['the', 'model', 'is', 'loading', 'we', 'should', 'check', 'Spark', 'memory', 'again'];
  let t = 0;
  let speaker = 0;
  while (t < DURATION_S - 10) {
    const length = 3 + 6 * r();
    // One turn in ten overlaps the previous one by up to a second; one in eight follows a pause.
    const start = r() < 0.1 ? Math.max(0, t - r()) : t + (r() < 0.125 ? 1 + 2 * r() : 0.1 * r());
    const end = Math.min(DURATION_S, start + length);
    turns.push({ start_s: start, end_s: end, speaker: `Speaker_${speaker}`, confidence: 0.6 + 0.4 * r() });
    for (let w = start + 0.05; w < end - 0.2; w += 0.25 + 0.2 * r()) {
      const word = r() < 0.08 ? ',' : ` ${vocabulary[Math.floor(r() * vocabulary.length)]!}`;
      words.push({ word, start: w, end: w + (word === ',' ? 0 : 0.2) });
    }
    t = end;
    speaker = (speaker + 1 + Math.floor(r() * (SPEAKERS - 1))) % SPEAKERS;
  }
  return { words, turns };
}

/** The reference merge step: every word scored against every turn. */
function scoreEveryTurn(words: TimedWord[], turns: Turn[]): number[] {
  return words.map((w) => {
    let best = -1;
    let bestOverlap = -1;
    turns.forEach((t, i) => {
      const overlap = Math.min(w.end, t.end_s) - Math.max(w.start, t.start_s);
      if (overlap > bestOverlap) [best, bestOverlap] = [i, overlap];
    });
    return best;
  });
}

interface Timing {
  runs: number;
  wall_ms: { p50: number; p95: number; max: number };
  cpu_ms_per_run: number;
}

/** `runs` timed repetitions after `warmup` untimed ones; CPU is the mean over the timed runs. */
function time(fn: () => unknown, runs: number, warmup = Math.ceil(runs / 5)): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
  }
  const c = process.cpuUsage(c0);
  return {
    runs,
    wall_ms: {
      p50: round(percentile(wall, 50), 3),
      p95: round(percentile(wall, 95), 3),
      max: round(Math.max(...wall), 3),
    },
    cpu_ms_per_run: round((c.user + c.system) / 1000 / runs, 3),
  };
}

/** 18 chunks × 4 local speakers, each chunk labelling the voices in its own order. */
function chunkFingerprints(seed = 2) {
  const r = rng(seed);
  const voices = Array.from({ length: SPEAKERS }, () => voice(r));
  return Array.from({ length: CHUNKS }, (_, c) =>
    voices.map((v, s) => ({
      key: `${c}:Speaker_${(s + c) % SPEAKERS}`,
      vector: fingerprint(r, v, 0.4),
      voice: s,
    })),
  ).flat();
}

/** The meeting as 18 chunk outcomes (chunk-relative, local labels), as the long path collects them. */
function chunkOutcomes(words: TimedWord[], turns: Turn[]): ChunkOutcome[] {
  const items = chunkFingerprints();
  const spans = planChunks(DURATION_S, { chunkS: DURATION_S / CHUNKS + 10, overlapS: 10 }).slice(0, CHUNKS);
  return spans.map((span) => {
    const local = (speaker: string) => `Speaker_${(Number(speaker.slice(8)) + span.index) % SPEAKERS}`;
    const inside = <T>(s: number, e: number, x: T) => (s >= span.start_s && e <= span.end_s ? [x] : []);
    return {
      span,
      words: words.flatMap((w) =>
        inside(w.start, w.end, { word: w.word, start: w.start - span.start_s, end: w.end - span.start_s }),
      ),
      turns: turns.flatMap((t) =>
        inside(t.start_s, t.end_s, {
          ...t,
          speaker: local(t.speaker),
          start_s: t.start_s - span.start_s,
          end_s: t.end_s - span.start_s,
        }),
      ),
      fingerprints: Object.fromEntries(
        items
          .filter((it) => it.key.startsWith(`${span.index}:`))
          .map((it) => [it.key.split(':')[1]!, it.vector]),
      ),
    };
  });
}

/**
 * A 90-minute simulated job through the long path (bench/audio-long.ts), with the control plane in
 * this process:
 *   - `rss_growth_peak_mb` (target ≤ 100 MB): peak RSS sampled every ~50 ms during the job minus
 *     RSS before it (after a GC if `--expose-gc`);
 *   - `chunking`: wall time with `audio.parallel_chunks` = 2 vs 1 on the same WAV in one run, and
 *     `speedup` = sequential / parallel.
 */
export async function longAudioJobFigures(): Promise<Record<string, unknown>> {
  return measureLongAudioJob();
}

export async function audioBench(): Promise<Record<string, unknown>> {
  const load = loadavg()[0] ?? NaN;
  const { words, turns } = meeting();
  const blocks = mergeWordsIntoBlocks(words, turns);
  const merge = time(() => mergeWordsIntoBlocks(words, turns), 51);
  const naive = time(() => scoreEveryTurn(words, turns), 11, 2);

  const items = chunkFingerprints();
  const clusters = clusterFingerprints(items, { distanceThreshold: 0.7 });
  const found = new Set(clusters.values()).size;
  const wrong = items.filter(
    (it) => clusters.get(it.key) !== clusters.get(items.find((x) => x.voice === it.voice)!.key),
  );
  const cluster = time(() => clusterFingerprints(items, { distanceThreshold: 0.7 }), 201);

  const outcomes = chunkOutcomes(words, turns);
  const stitched = stitchChunks(outcomes, { distanceThreshold: 0.7 });
  const stitch = time(() => stitchChunks(outcomes, { distanceThreshold: 0.7 }), 21);

  const long = await longAudioJobFigures();
  const out = {
    load_average_1m_at_start: round(load),
    transcript: { minutes: DURATION_S / 60, words: words.length, turns: turns.length, blocks: blocks.length },
    merge: { ...merge, target_ms: TARGET_MERGE_MS, verdict: verdict(merge.wall_ms.p50 <= TARGET_MERGE_MS) },
    merge_vs_scoring_every_turn: {
      every_turn_p50_ms: naive.wall_ms.p50,
      speedup: round(naive.wall_ms.p50 / merge.wall_ms.p50, 1),
    },
    clustering: {
      fingerprints: items.length,
      clusters: found,
      misplaced: wrong.length,
      ...cluster,
      target_ms: TARGET_CLUSTER_MS,
      verdict: verdict(cluster.wall_ms.p50 <= TARGET_CLUSTER_MS),
    },
    stitch_18_chunks: {
      words_kept: stitched.words.length,
      speakers: Object.keys(stitched.centroids).length,
      ...stitch,
    },
    long_audio_job: long,
  };
  console.log(JSON.stringify(out, null, 2));
  return out;
}
