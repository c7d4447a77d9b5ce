// Pure helpers of the OpenAI endpoint card: the base URL, the curl example, and the labels of
// the gateway stats table.
import { formatAge } from './format.js';

/** docs/CONSUMERS.md as the dashboard's build ships it (vite.config.ts copies it, read-only). */
export const CONSUMER_GUIDE_URL = '/guide/CONSUMERS.md';

/** Every route the gateway answers under its base URL (SPEC §9). */
export const GATEWAY_ROUTES = [
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/models',
  '/v1/audio/transcriptions',
  '/v1/audio/speech',
  '/v1/embeddings',
] as const;

/** Stands in for the model id in the curl example while no model is loaded. */
export const MODEL_PLACEHOLDER = '<model id>';

/** The gateway's OpenAI base URL for a page origin: `http://host:9999` → `http://host:9999/v1`. */
export function gatewayBaseUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/v1`;
}

/** A word for a POSIX shell, single-quoted so `$`, spaces and quotes stay literal. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface CurlOptions {
  baseUrl: string;
  /** The loaded model id; null shows a placeholder. */
  model: string | null;
  /** Adds `-H "Authorization: Bearer $KEY"` (the gateway has API keys). */
  withKey: boolean;
  prompt?: string;
}

/** A multi-line curl command for one non-streaming chat completion. */
export function buildCurlExample({ baseUrl, model, withKey, prompt = 'Hello!' }: CurlOptions): string {
  const body = JSON.stringify({
    model: model ?? MODEL_PLACEHOLDER,
    messages: [{ role: 'user', content: prompt }],
  });
  const lines = [
    `curl ${shellQuote(`${baseUrl.replace(/\/+$/, '')}/chat/completions`)}`,
    `  -H "Content-Type: application/json"`,
    ...(withKey ? [`  -H "Authorization: Bearer $KEY"`] : []),
    `  -d ${shellQuote(body)}`,
  ];
  return lines.join(' \\\n');
}

/** A latency cell: "84 ms", "1.2 s", "—" while there are no samples. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** "3 min ago", or "never" for a client without requests. */
export function lastRequestLabel(iso: string | null, now: number): string {
  const t = iso ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(t)) return 'never';
  return formatAge((now - t) / 1_000);
}
