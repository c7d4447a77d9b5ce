// Knobs (SPEC §4): the few vLLM settings the owner may change per model from the dashboard.
// Pure functions: `extractKnobs` reads them back out of a model's args (so the dialog starts from
// what the bundled entry really does) and `applyKnobs` rewrites the args so a knob always wins
// over the bundled flag instead of both ending up on the command line.
import type { Knobs } from '../../../common/api.js';
import { AppError } from '../../platform/http/errors.js';
import { segmentArgs, type ArgSegment } from './vllm-args.js';

const MAX_LEN = '--max-model-len';
const GPU_UTIL = '--gpu-memory-utilization';
const LOAD_FORMAT = '--load-format';
const KV_DTYPE = '--kv-cache-dtype';
const PREFIX_ON = '--enable-prefix-caching';
const PREFIX_OFF = '--no-enable-prefix-caching';

const VALUE_FLAGS: ReadonlySet<string> = new Set([MAX_LEN, GPU_UTIL, LOAD_FORMAT, KV_DTYPE]);
const SWITCHES: ReadonlySet<string> = new Set([PREFIX_ON, PREFIX_OFF]);

export const KNOB_NAMES = [
  'max_model_len',
  'gpu_memory_utilization',
  'fastsafetensors',
  'prefix_caching',
  'fp8_kv_cache',
] as const satisfies readonly (keyof Knobs)[];

/** The largest context we accept; far beyond any model, but keeps typos like 1e12 out. */
export const MAX_MODEL_LEN_LIMIT = 16_777_216;

const isFp8 = (v: string | null) => v !== null && /^fp8/i.test(v);

/**
 * vLLM's human-readable ints: `65536`, `64k` (×1000), `64K` (×1024), likewise m/M and g/G.
 * Anything else (e.g. `auto`, `-1`) means "vLLM decides", which the knob shows as null.
 */
export function parseModelLen(v: string | null): number | null {
  if (v === null) return null;
  const m = /^(\d+(?:\.\d+)?)([kmgKMG]?)$/.exec(v.trim());
  if (!m) return null;
  const unit = m[2] ?? '';
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[unit] ?? 1;
  if (unit === unit.toUpperCase() && unit !== '' && m[1]!.includes('.')) return null;
  const n = Number(m[1]) * scale;
  return Number.isInteger(n) && n > 0 ? n : null;
}

function parseUtil(v: string | null): number | null {
  if (v === null || !/^\s*(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i.test(v)) return null;
  const n = Number(v);
  return n > 0 && n <= 1 ? n : null;
}

const segments = (args: readonly string[]) => segmentArgs(args, VALUE_FLAGS, SWITCHES);

/** The knob values a list of args amounts to; the last occurrence of a flag wins, as in argparse. */
export function extractKnobs(args: readonly string[]): Knobs {
  const k: Knobs = {
    max_model_len: null,
    gpu_memory_utilization: null,
    fastsafetensors: false,
    prefix_caching: false,
    fp8_kv_cache: false,
  };
  for (const s of segments(args)) {
    if (s.flag === MAX_LEN) k.max_model_len = parseModelLen(s.value);
    else if (s.flag === GPU_UTIL) k.gpu_memory_utilization = parseUtil(s.value);
    else if (s.flag === LOAD_FORMAT) k.fastsafetensors = s.value === 'fastsafetensors';
    else if (s.flag === KV_DTYPE) k.fp8_kv_cache = isFp8(s.value);
    else if (s.flag === PREFIX_ON) k.prefix_caching = true;
    else if (s.flag === PREFIX_OFF) k.prefix_caching = false;
  }
  return k;
}

/**
 * Rewrites `args` so each knob present in `knobs` takes effect: every spelling of the flag it owns
 * is stripped (with its value) and the knob's value is appended in a fixed order, which makes the
 * result idempotent. `null`/`false` remove the flag. A `false` toggle only strips the values that
 * turn it on, so e.g. `--kv-cache-dtype nvfp4` survives `fp8_kv_cache: false`.
 */
export function applyKnobs(args: readonly string[], knobs: Partial<Knobs>): string[] {
  const strip: ((s: ArgSegment) => boolean)[] = [];
  const append: string[] = [];
  const { max_model_len, gpu_memory_utilization, fastsafetensors, prefix_caching, fp8_kv_cache } = knobs;

  if (max_model_len !== undefined) {
    strip.push((s) => s.flag === MAX_LEN);
    if (max_model_len !== null) append.push(MAX_LEN, String(max_model_len));
  }
  if (gpu_memory_utilization !== undefined) {
    strip.push((s) => s.flag === GPU_UTIL);
    if (gpu_memory_utilization !== null) append.push(GPU_UTIL, String(gpu_memory_utilization));
  }
  if (fastsafetensors === true) {
    strip.push((s) => s.flag === LOAD_FORMAT);
    append.push(LOAD_FORMAT, 'fastsafetensors');
  } else if (fastsafetensors === false) {
    strip.push((s) => s.flag === LOAD_FORMAT && s.value === 'fastsafetensors');
  }
  if (prefix_caching === true) {
    strip.push((s) => s.flag === PREFIX_ON || s.flag === PREFIX_OFF);
    append.push(PREFIX_ON);
  } else if (prefix_caching === false) {
    strip.push((s) => s.flag === PREFIX_ON);
  }
  if (fp8_kv_cache === true) {
    strip.push((s) => s.flag === KV_DTYPE);
    append.push(KV_DTYPE, 'fp8');
  } else if (fp8_kv_cache === false) {
    strip.push((s) => s.flag === KV_DTYPE && isFp8(s.value));
  }

  const kept = segments(args).filter((s) => !strip.some((drop) => drop(s)));
  return [...kept.flatMap((s) => s.tokens), ...append];
}

/** Only the knobs whose value differs from `base`: what the owner actually changed. */
export function changedKnobs(knobs: Partial<Knobs>, base: Knobs): Partial<Knobs> {
  const out: Partial<Knobs> = {};
  for (const name of KNOB_NAMES) {
    const v = knobs[name];
    if (v !== undefined && v !== base[name]) (out as Record<string, unknown>)[name] = v;
  }
  return out;
}

function invalid(field: string, rule: string, value: unknown): never {
  const shown = JSON.stringify(value) ?? String(value);
  throw new AppError('INVALID_INPUT', `${field} ${rule} (got ${shown.slice(0, 60)})`, { details: { field } });
}

/** Checks a knobs object from the API; returns a clean Partial<Knobs> or throws a 400. */
export function validateKnobs(input: unknown): Partial<Knobs> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    invalid('knobs', 'must be an object', input);
  }
  const src = input as Record<string, unknown>;
  const unknown = Object.keys(src).filter((k) => !(KNOB_NAMES as readonly string[]).includes(k));
  if (unknown.length > 0)
    invalid('knobs', `has unknown fields (${KNOB_NAMES.join(', ')} are known)`, unknown);
  const out: Partial<Knobs> = {};
  if ('max_model_len' in src) {
    const v = src.max_model_len;
    const ok =
      v === null || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_MODEL_LEN_LIMIT);
    if (!ok)
      invalid(
        'max_model_len',
        `must be a whole number of tokens from 1 to ${MAX_MODEL_LEN_LIMIT}, or null`,
        v,
      );
    out.max_model_len = v as number | null;
  }
  if ('gpu_memory_utilization' in src) {
    const v = src.gpu_memory_utilization;
    const ok = v === null || (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 1);
    if (!ok) invalid('gpu_memory_utilization', 'must be a fraction greater than 0 and at most 1, or null', v);
    out.gpu_memory_utilization = v as number | null;
  }
  for (const name of ['fastsafetensors', 'prefix_caching', 'fp8_kv_cache'] as const) {
    if (!(name in src)) continue;
    const v = src[name];
    if (typeof v !== 'boolean') invalid(name, 'must be true or false', v);
    out[name] = v;
  }
  return out;
}
