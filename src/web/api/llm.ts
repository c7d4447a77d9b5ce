// The LLM tab's endpoints: catalog, knobs, swap, validation, GPU lock, schedules, and the chat
// request behind the Test button.
import type {
  CatalogModel,
  Knobs,
  LockResponse,
  ModelsResponse,
  ScheduleEntry,
  SwapInfo,
  ValidateResponse,
} from '../../common/api.js';
import type { CreateModelBody } from '../lib/modelForm.js';
import { ApiError, apiRequest } from './client.js';

const seg = encodeURIComponent;

export const getModels = (signal?: AbortSignal) => apiRequest<ModelsResponse>('/api/models', { signal });

export const createModel = (body: CreateModelBody) =>
  apiRequest<CatalogModel>('/api/models', { method: 'POST', body });

export const deleteModel = (key: string) =>
  apiRequest<unknown>(`/api/models/${seg(key)}`, { method: 'DELETE' });

export const putKnobs = (key: string, knobs: Partial<Knobs>) =>
  apiRequest<CatalogModel>(`/api/models/${seg(key)}/knobs`, { method: 'PUT', body: knobs });

export const startSwap = (key: string) =>
  apiRequest<{ id: string }>('/api/swap', { method: 'POST', body: { key } });

/** The running or most recent swap; null when there has never been one. */
export async function getSwapCurrent(signal?: AbortSignal): Promise<SwapInfo | null> {
  try {
    return await apiRequest<SwapInfo | null>('/api/swap/current', { signal });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export const getSwap = (id: string, signal?: AbortSignal) =>
  apiRequest<SwapInfo>(`/api/swap/${seg(id)}`, { signal });

export const cancelSwap = (id: string) => apiRequest<unknown>(`/api/swap/${seg(id)}`, { method: 'DELETE' });

export const swapStreamUrl = (id: string) => `/api/swap/${seg(id)}/stream`;

export const validateModel = (key: string) =>
  apiRequest<ValidateResponse>(`/api/swap/${seg(key)}/validate`, { method: 'POST' });

export const getLock = (signal?: AbortSignal) => apiRequest<LockResponse>('/api/swap/lock', { signal });

export const releaseLock = () => apiRequest<unknown>('/api/swap/lock', { method: 'DELETE' });

export const getSchedules = (signal?: AbortSignal) =>
  apiRequest<{ schedules: ScheduleEntry[] }>('/api/schedules', { signal });

/** The parts of an OpenAI chat completion the Test button reads. */
interface ChatCompletion {
  choices?: {
    /** Thinking goes in `reasoning` in current vLLM, `reasoning_content` in older releases. */
    message?: { content?: string | null; reasoning?: string | null; reasoning_content?: string | null };
    finish_reason?: string | null;
  }[];
}

export interface TestResult {
  reply: string;
  latencyMs: number;
  finishReason: string | null;
}

export const TEST_PROMPT = 'Say hello in five words.';

/** One short non-streaming chat request to the loaded model, timed in the browser. */
export async function testModel(servedModelName: string): Promise<TestResult> {
  const started = performance.now();
  const res = await apiRequest<ChatCompletion>('/v1/chat/completions', {
    method: 'POST',
    body: {
      model: servedModelName,
      messages: [{ role: 'user', content: TEST_PROMPT }],
      max_tokens: 32,
    },
  });
  const latencyMs = performance.now() - started;
  const choice = res?.choices?.[0];
  const m = choice?.message;
  // A reply cut off while thinking has no content yet: show the thinking rather than nothing.
  const text = m?.content || m?.reasoning || m?.reasoning_content || '';
  return { reply: text.trim(), latencyMs, finishReason: choice?.finish_reason ?? null };
}
