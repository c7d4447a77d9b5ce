// HTTP health of one service from one look at its health endpoint (and, for NIMs, /v1/models).
// `classifyHealth` is pure: docker state + how the request ended + how long the container has run
// → healthy | unhealthy | starting | not configured | unknown. A timeout is `unknown`, never healthy.
import { request } from 'undici';
import type { DockerState, HttpHealth } from '../../../common/services-api.js';
import { requestErrorCode } from '../../platform/http/request-error.js';
import type { ServiceDef } from './registry.js';

export type HealthProbe =
  | { kind: 'answer'; status: number; body: unknown }
  | { kind: 'timeout' }
  | { kind: 'error'; code: string | undefined };

export interface HealthInput {
  def: Pick<ServiceDef, 'kind' | 'api' | 'health_path' | 'port'>;
  docker: DockerState;
  /** Seconds since docker last started the container; null when unknown. */
  runningForS: number | null;
  /** Null when no request was made (docker says it cannot answer). */
  probe: HealthProbe | null;
  /** A container started less than this ago that does not answer yet is `starting`. */
  startGraceS: number;
}

export function classifyHealth(i: HealthInput): HttpHealth | null {
  if (i.def.kind === 'bot') return null;
  if (i.def.health_path === null || i.def.port === null) return 'not configured';
  if (i.docker === 'unknown') return 'unknown';
  if (i.docker === 'restarting') return 'starting';
  if (i.docker !== 'running') return 'unhealthy';
  const young = i.runningForS !== null && i.runningForS < i.startGraceS;
  const p = i.probe;
  if (p === null || p.kind === 'timeout') return 'unknown';
  if (p.kind === 'error') {
    // uvicorn binds only once the model is loaded: refused right after a start means loading.
    if (p.code === 'ECONNREFUSED') return young ? 'starting' : 'unhealthy';
    return 'unknown';
  }
  if (p.status >= 200 && p.status < 300) return 'healthy';
  // A NIM answers 503 on /v1/health/ready until its model is loaded.
  if (p.status === 503 && young) return 'starting';
  return 'unhealthy';
}

/** Models the service names: the Parakeet app's `/health` `models` map, a NIM's `/v1/models` list. */
export function modelsFrom(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { models?: unknown; data?: unknown };
  const out: string[] = [];
  if (Array.isArray(b.data))
    for (const m of b.data) {
      const id = (m as { id?: unknown } | null)?.id;
      if (typeof id === 'string') out.push(id);
    }
  if (typeof b.models === 'object' && b.models !== null) {
    const models = Array.isArray(b.models) ? b.models : Object.values(b.models);
    for (const m of models) if (typeof m === 'string') out.push(m);
  }
  return [...new Set(out)].slice(0, 50);
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

/** Never rejects: every way a request can end is a probe. */
export async function probeHttp(url: string, timeoutMs: number): Promise<HealthProbe> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await request(url, {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal,
    });
    const text = await res.body.text();
    let body: unknown = null;
    try {
      body = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      body = null;
    }
    return { kind: 'answer', status: res.statusCode, body };
  } catch (err) {
    const code = requestErrorCode(err);
    if (signal.aborted || (code !== undefined && TIMEOUT_CODES.has(code))) return { kind: 'timeout' };
    return { kind: 'error', code };
  }
}

/** One look at a running service: its health endpoint, and the models it names (NIMs: /v1/models). */
export async function lookAt(
  def: Pick<ServiceDef, 'api' | 'health_path'>,
  baseUrl: string,
  timeoutMs: number,
): Promise<{ probe: HealthProbe | null; models: string[] }> {
  if (!def.health_path) return { probe: null, models: [] };
  const probe = await probeHttp(`${baseUrl}${def.health_path}`, timeoutMs);
  if (probe.kind !== 'answer' || probe.status >= 300) return { probe, models: [] };
  let models = modelsFrom(probe.body);
  if (def.api === 'nim' && models.length === 0) {
    const m = await probeHttp(`${baseUrl}/v1/models`, timeoutMs);
    if (m.kind === 'answer' && m.status < 300) models = modelsFrom(m.body);
  }
  return { probe, models };
}
