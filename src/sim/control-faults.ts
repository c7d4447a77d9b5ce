// The control API's service-fault switches (speech services and vLLM generation), as JSON routes:
//   POST /speech/parakeet/wedge {on}     POST /speech/magpie/fail {on}
//   POST /speech/parakeet/flap {on}      (the wedge comes back after every restart)
//   POST /speech/parakeet/upgrade {on}   (an image upgrade replaced the overlay files / back in sync)
//   POST /vllm/crash-mid-stream {on}     POST /vllm/error {status: 400-599 | null}
//   POST /vllm/slow-first-token {ms}     POST /vllm/token-delay {ms: number | null}
//   POST /vllm/die {text}                (the engine prints text and exits 1; 409 when none runs)
//   POST /vllm/engine-dead {on}          (engine core dead, API server up: /health 503)
//   POST /nim/bad-key {on}               (nvcr.io and NIM model downloads refuse every NGC key)
//   POST /nim/asr-wedge {on}             (installed ASR NIMs wedge until their container restarts)
import { validErrorStatus } from './vllm/faults.js';

export interface ServiceFaults {
  parakeetWedge(on: boolean): void;
  /** Wedged now, and again a few (speed-scaled) seconds after every restart; off heals it. */
  parakeetFlap(on: boolean): void;
  /** A Parakeet image upgrade replaced the app's files (overlay drifts / goes missing); off: the shipped files again. */
  parakeetUpgrade(on: boolean): void;
  magpieFail(on: boolean): void;
  vllmCrashMidStream(on: boolean): void;
  vllmError(status: number | null): void;
  vllmSlowFirstToken(ms: number): void;
  /** null restores the default delay (20 ms × speed). */
  vllmTokenDelay(ms: number | null): void;
  /** The running vLLM process prints `text` and exits 1; false when no vLLM process runs. */
  vllmDie(text: string): boolean;
  /** The engine core is dead while the API server runs on: /health 503, generation 500. */
  vllmEngineDead(on: boolean): void;
  /** `nim-bad-key`: `docker login nvcr.io` and the NIMs' model download refuse every key. */
  nimBadKey(on: boolean): void;
  /** `nim-asr-wedge`: every installed ASR NIM's transcriptions fail (CUBLAS) until it restarts. */
  nimAsrWedge(on: boolean): void;
}

type Reply = { status: number; body: unknown };

const ok: Reply = { status: 200, body: { ok: true } };
const bad = (error: string): Reply => ({ status: 400, body: { error } });

const msOk = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export const FAULT_PATHS = new Set([
  '/speech/parakeet/wedge',
  '/speech/parakeet/flap',
  '/speech/parakeet/upgrade',
  '/speech/magpie/fail',
  '/vllm/crash-mid-stream',
  '/vllm/engine-dead',
  '/vllm/error',
  '/vllm/slow-first-token',
  '/vllm/token-delay',
  '/vllm/die',
  '/nim/bad-key',
  '/nim/asr-wedge',
]);

/** Applies one fault route; `body` is the parsed JSON object (undefined when it was not one). */
export function faultRoute(t: ServiceFaults, path: string, body: Record<string, unknown> | undefined): Reply {
  if (!body) return bad('body must be a JSON object');
  switch (path) {
    case '/speech/parakeet/wedge':
    case '/speech/parakeet/flap':
    case '/speech/parakeet/upgrade':
    case '/speech/magpie/fail':
    case '/vllm/crash-mid-stream':
    case '/vllm/engine-dead':
    case '/nim/bad-key':
    case '/nim/asr-wedge': {
      if (typeof body.on !== 'boolean') return bad('on must be a boolean');
      if (path === '/speech/parakeet/wedge') t.parakeetWedge(body.on);
      else if (path === '/speech/parakeet/flap') t.parakeetFlap(body.on);
      else if (path === '/speech/parakeet/upgrade') t.parakeetUpgrade(body.on);
      else if (path === '/speech/magpie/fail') t.magpieFail(body.on);
      else if (path === '/vllm/engine-dead') t.vllmEngineDead(body.on);
      else if (path === '/nim/bad-key') t.nimBadKey(body.on);
      else if (path === '/nim/asr-wedge') t.nimAsrWedge(body.on);
      else t.vllmCrashMidStream(body.on);
      return ok;
    }
    case '/vllm/error': {
      const s = body.status ?? null;
      if (!validErrorStatus(s)) return bad('status must be an HTTP error status (400-599) or null');
      t.vllmError(s);
      return ok;
    }
    case '/vllm/slow-first-token':
      if (!msOk(body.ms)) return bad('ms must be a number >= 0');
      t.vllmSlowFirstToken(body.ms);
      return ok;
    case '/vllm/token-delay': {
      const ms = body.ms ?? null;
      if (ms !== null && !msOk(ms)) return bad('ms must be a number >= 0 or null');
      t.vllmTokenDelay(ms);
      return ok;
    }
    case '/vllm/die':
      if (typeof body.text !== 'string' || body.text === '') return bad('text must be a non-empty string');
      return t.vllmDie(body.text) ? ok : { status: 409, body: { error: 'no vLLM process is running' } };
    default:
      return { status: 404, body: { error: `no route ${path}` } };
  }
}
