// The synthetic probes (SPEC §8), built in memory and never written to disk: Parakeet transcribes
// one second of silence, Magpie synthesizes "hi", vLLM completes one token when a model is loaded.
// Each answer becomes a DeepCheckResult: a timeout, a connection error, a 5xx or a wedge signature
// in the body fails it; an idle vLLM is skipped (informational), never failed.
import { Blob } from 'node:buffer';
import { FormData, request, type Dispatcher } from 'undici';
import type { VllmStatus } from '../../../common/api.js';
import type { DeepCheckResult } from '../../../common/services-api.js';
import { wavFile } from '../gateway/speech/wav.js';
import { requestErrorCode } from '../../platform/http/request-error.js';
import { wedgeSignature } from './signatures.js';

export type ProbeKind = 'asr' | 'tts' | 'vllm';

export interface ProbeTarget {
  /** The service's name (a key of `services` in the config, or `vllm`). */
  name: string;
  kind: ProbeKind;
  node: string;
  container: string;
  /** `http://host:port` (vLLM: `…/v1`); null when it cannot be reached (not configured). */
  baseUrl: () => string | null;
  /** The HTTP health route the restart waits for (relative to the host, not to `/v1`). */
  healthUrl: () => string | null;
  /** The transcription `language` this service takes: NVIDIA's ASR NIM needs BCP-47 (`en-US`). */
  language?: string;
}

export interface ProbeDeps {
  timeoutMs: number;
  /** A fresh look at vLLM (loaded model or why not). */
  vllm: () => Promise<VllmStatus>;
  dispatcher?: Dispatcher;
}

export type ProbeOutcome = Omit<DeepCheckResult, 'service' | 'at' | 'trigger'>;

/** How much of an answer is read: enough for any error text; audio is read whole only by the loopback. */
const TEXT_LIMIT = 64 * 1024;
const EXCERPT = 300;

export const SILENCE_WAV = (): Buffer => wavFile(Buffer.alloc(16_000 * 2), 16_000);

/** Parakeet's form: the file plus the fields both the seed's app and NVIDIA's ASR NIM accept. */
export function transcriptionForm(wav: Buffer, filename = 'probe.wav', language = 'en'): FormData {
  const form = new FormData();
  form.append('file', new Blob([wav], { type: 'audio/wav' }), filename);
  form.append('response_format', 'json');
  form.append('language', language);
  return form;
}

/** Magpie's synthesize form, as the gateway sends it (gateway/speech/routes.ts). */
export function synthesizeProbeForm(text: string): FormData {
  const form = new FormData();
  form.append('text', text);
  form.append('language', 'en-US');
  form.append('sample_rate_hz', '22050');
  return form;
}

export interface HttpAnswer {
  status: number;
  body: Buffer;
  ms: number;
}

export class ProbeTimeout extends Error {}

/** One request with an overall deadline; throws ProbeTimeout or the connection's error. */
export async function call(
  url: string,
  init: { method: 'GET' | 'POST'; body?: FormData | string; headers?: Record<string, string> },
  o: { timeoutMs: number; dispatcher?: Dispatcher; limit?: number },
): Promise<HttpAnswer> {
  const started = performance.now();
  const signal = AbortSignal.timeout(o.timeoutMs);
  try {
    const res = await request(url, { ...init, signal, dispatcher: o.dispatcher });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body as AsyncIterable<Buffer>) {
      if (size < (o.limit ?? TEXT_LIMIT)) chunks.push(c);
      size += c.length;
    }
    return {
      status: res.statusCode,
      body: Buffer.concat(chunks),
      ms: Math.round(performance.now() - started),
    };
  } catch (e) {
    if (signal.aborted) throw new ProbeTimeout(`no answer within ${o.timeoutMs / 1000} s`);
    throw e;
  }
}

/** The socket error's code (undici nests it as `cause`) or the message. */
export function connectionError(e: unknown): string {
  return `connection failed (${requestErrorCode(e) ?? (e instanceof Error ? e.message : String(e))})`;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** An answer's verdict: 5xx, a signature anywhere in it, or a 4xx (our probe was refused) fail it. */
export function judge(a: HttpAnswer, isText: boolean): ProbeOutcome {
  const text = isText || a.status >= 400 ? a.body.toString('utf8') : '';
  const signature = wedgeSignature(text);
  const base = { latency_ms: a.ms, http_status: a.status, wedge_signature: signature };
  if (a.status < 400 && !signature) return { ...base, outcome: 'ok', error: null };
  const excerpt = oneLine(text).slice(0, EXCERPT);
  return { ...base, outcome: 'failed', error: `HTTP ${a.status}${excerpt ? `: ${excerpt}` : ''}` };
}

export function failure(e: unknown): ProbeOutcome {
  const timeout = e instanceof ProbeTimeout;
  return {
    outcome: 'failed',
    latency_ms: null,
    http_status: null,
    wedge_signature: null,
    error: timeout ? e.message : connectionError(e),
  };
}

const skipped = (why: string): ProbeOutcome => ({
  outcome: 'skipped',
  latency_ms: null,
  http_status: null,
  wedge_signature: null,
  error: why,
});

/** Why vLLM is not probed in this state; null when a model is loaded. */
export function vllmSkipReason(v: VllmStatus): string | null {
  if (v.state === 'loaded' && v.model) return null;
  if (v.state === 'idle') return 'no model loaded (idle)';
  if (v.state === 'loading') return 'a model is loading';
  return `vLLM state ${v.state}${v.error ? `: ${v.error}` : ''}`;
}

export async function probe(t: ProbeTarget, d: ProbeDeps): Promise<ProbeOutcome> {
  const base = t.baseUrl();
  if (!base) return skipped('not configured');
  const o = { timeoutMs: d.timeoutMs, dispatcher: d.dispatcher };
  try {
    if (t.kind === 'asr') {
      const body = transcriptionForm(SILENCE_WAV(), 'probe.wav', t.language);
      return judge(await call(`${base}/v1/audio/transcriptions`, { method: 'POST', body }, o), true);
    }
    if (t.kind === 'tts') {
      const body = synthesizeProbeForm('hi');
      return judge(await call(`${base}/v1/audio/synthesize`, { method: 'POST', body }, o), false);
    }
    const v = await d.vllm();
    const why = vllmSkipReason(v);
    if (why !== null) return skipped(why);
    const body = JSON.stringify({ model: v.model, prompt: 'hi', max_tokens: 1 });
    const headers = { 'content-type': 'application/json' };
    return judge(await call(`${base}/completions`, { method: 'POST', body, headers }, o), true);
  } catch (e) {
    return failure(e);
  }
}
