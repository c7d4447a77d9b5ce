// Helpers for the audio pipeline's integration tests: a simulated cluster with `audio.*` settings
// (a config file of the test's own), multipart posts of files on disk, and a check of a
// transcript's speaker labels against the script that made the recording.
import { mkdtempSync, openAsBlob, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpeakerSegment } from '../../src/common/audio-api.js';
import { encodeMp3 } from '../../src/server/modules/gateway/speech/mp3.js';
import { pcm16Of } from '../../src/server/modules/gateway/speech/wav.js';
import type { MeetingTimeline } from '../../src/sim/speech/meeting-audio.js';
import { getJson, startTestCluster, waitFor, type TestCluster, type TestClusterOptions } from './harness.js';

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

export type ProxyVerdict = 'pass' | 'fail' | 'hold';

export interface HeldRequest {
  path: string;
  /** Lets the request through to Parakeet. */
  release(): void;
  /** Resolves when the caller (the control plane) closed the request before it was answered. */
  aborted: Promise<void>;
}

/**
 * A loopback HTTP proxy in front of the simulated Parakeet (the outermost seam): `decide` sees each
 * request's path and its number among requests to that path (1-based) and passes it on, answers
 * 500 itself, or holds it until released. The control plane is pointed at it by changing the
 * service's port in the running config (the status poll picks the new base URL up).
 */
export async function parakeetProxy(
  c: TestCluster,
  decide: (path: string, n: number) => ProxyVerdict,
): Promise<{ seen: Map<string, number>; held: HeldRequest[]; close(): Promise<void> }> {
  const { createServer, request } = await import('node:http');
  const svc = c.config.services.parakeet!;
  const host = c.config.nodes.find((n) => n.name === svc.node)!.host;
  const target = new URL(c.sim.speech.parakeet.url);
  const seen = new Map<string, number>();
  const held: HeldRequest[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const n = (seen.get(path) ?? 0) + 1;
    seen.set(path, n);
    const verdict = path === '/health' ? 'pass' : decide(path, n);
    if (verdict === 'fail') {
      req.resume();
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"detail":"Diarization failed: injected"}');
      return;
    }
    // The body is read at once (held or not): a request nobody reads would never notice its
    // caller going away (a paused socket does not see the connection close).
    const body: Buffer[] = [];
    req.on('data', (b: Buffer) => body.push(b));
    const forward = () => {
      const up = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      if (req.readableEnded) up.end(Buffer.concat(body));
      else req.once('end', () => up.end(Buffer.concat(body)));
    };
    if (verdict === 'pass') return forward();
    let release!: () => void;
    const go = new Promise<void>((r) => (release = r));
    const aborted = new Promise<void>((resolve) =>
      res.once('close', () => {
        if (!res.writableFinished) resolve();
      }),
    );
    held.push({ path, release, aborted });
    void go.then(() => {
      if (!res.destroyed) forward();
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as { port: number }).port;
  const original = svc.port;
  svc.port = port;
  const wanted = `http://${host}:${port}`;
  await waitFor(async () => {
    const e = (await getJson<{ parakeet: { base_url: string | null } }>(`${c.url}/api/endpoints`)).body;
    return e.parakeet.base_url === wanted;
  });
  return {
    seen,
    held,
    async close() {
      svc.port = original;
      for (const h of held) h.release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * A real mp3 of a mono PCM16 WAV, beside it (`x.wav` → `x.mp3`), made by the pure-JS LAME encoder
 * the gateway uses: no ffmpeg needed, and none started (tests that count ffmpeg runs rely on it).
 */
export async function mp3Of(wav: string): Promise<string> {
  const pcm = pcm16Of(readFileSync(wav));
  if (!pcm) throw new Error(`${wav} is not mono PCM16`);
  const parts: Buffer[] = [];
  for await (const b of encodeMp3(pcm)) parts.push(b);
  const out = wav.replace(/\.wav$/, '.mp3');
  writeFileSync(out, Buffer.concat(parts));
  return out;
}
