// Explain updates (SPEC §13, issue 12 item 8): the launcher's pending commits, from the updates
// snapshot, sent to the model vLLM has loaded as one streamed chat completion — through vLLM's
// OpenAI endpoint at the address the gateway relays to (the status service's vLLM base URL and
// served model id), with the gateway's upstream dispatch and error wording. Refusals come before
// any request to vLLM; an upstream error before the first byte keeps its status.
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { Agent } from 'undici';
import type { VllmStatus } from '../../../common/api.js';
import { sseDataSplitter } from '../../../common/sse-data.js';
import type { ExplainEvent, UpdatesResponse } from '../../../common/updates-api.js';
import { AppError } from '../../platform/http/errors.js';
import { clientFacingError, clientStatus, type OpenAiError } from '../gateway/openai-error.js';
import { readText } from '../gateway/proxy.js';
import { dispatchPost, type UpstreamResponse } from '../gateway/upstream-dispatch.js';
import { readChunk } from './chunks.js';
import { explainRequest } from './prompt.js';

export interface ExplainDeps {
  /** The launcher updates snapshot (the updates module); absent: this server cannot check. */
  updates?: { current(): UpdatesResponse };
  /** vLLM as the status service last saw it. */
  vllm: () => Pick<VllmStatus, 'state' | 'base_url' | 'model'>;
  log: FastifyBaseLogger;
  /** Wait for vLLM's headers, and between two chunks (a thinking model can pause long). */
  timeoutMs?: number;
}

/** What will be asked of which model. */
export interface ExplainPlan {
  url: string;
  model: string;
  commits: number;
  body: Buffer;
}

export type Opened =
  | { ok: true; upstream: UpstreamResponse }
  /** vLLM answered an error before streaming: the status the client gets and the words it reads. */
  | { ok: false; status: number; message: string };

/** An upstream error body is read up to this size for its message. */
const MAX_ERROR_BODY = 64 * 1024;

function noModel(state: VllmStatus['state']): AppError {
  if (state === 'loading')
    return new AppError('CONFLICT', 'vLLM is still loading a model; ask again once it is loaded.');
  if (state === 'unreachable' || state === 'unknown')
    return new AppError(
      'SERVICE_UNAVAILABLE',
      `vLLM is ${state === 'unreachable' ? 'unreachable' : 'not answering'}, so no model can explain the updates now.`,
    );
  return new AppError(
    'CONFLICT',
    'No model is loaded in vLLM: switch to a model first, then ask it to explain the updates.',
  );
}

function unreachable(err: unknown): AppError {
  const code = (err as { code?: string }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new AppError('TIMEOUT', 'vllm did not answer in time');
  return new AppError('UPSTREAM_ERROR', 'vllm unreachable', { cause: err });
}

export class ExplainService {
  private readonly agent: Agent;

  constructor(private readonly d: ExplainDeps) {
    const timeout = d.timeoutMs ?? 5 * 60_000;
    this.agent = new Agent({ headersTimeout: timeout, bodyTimeout: timeout, connect: { timeout: 5_000 } });
  }

  /** The request to make, or the refusal (thrown): nothing pending, or no model to ask. */
  plan(): ExplainPlan {
    const snapshot = this.d.updates?.current();
    if (!snapshot)
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'Launcher updates are not checked on this server, so there is nothing to explain.',
      );
    if (!snapshot.ok)
      throw new AppError(
        'CONFLICT',
        `The last launcher update check failed${snapshot.error ? ` (${snapshot.error})` : ''}: check again before asking for an explanation.`,
      );
    if (snapshot.log.length === 0)
      throw new AppError(
        'CONFLICT',
        'Nothing to explain: spark-vllm-docker (the vLLM orchestration project) has no pending commits.',
      );
    const vllm = this.d.vllm();
    if (vllm.state !== 'loaded' || !vllm.model || !vllm.base_url) throw noModel(vllm.state);
    return {
      url: `${vllm.base_url.replace(/\/+$/, '')}/chat/completions`,
      model: vllm.model,
      commits: snapshot.log.length,
      body: Buffer.from(JSON.stringify(explainRequest(vllm.model, snapshot))),
    };
  }

  /** Sends the request; resolves at vLLM's status line. Throws when vLLM cannot be reached. */
  async open(plan: ExplainPlan, signal: AbortSignal): Promise<Opened> {
    let upstream: UpstreamResponse;
    try {
      upstream = await dispatchPost(this.agent, plan.url, {
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: plan.body,
        signal,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw unreachable(err);
    }
    if (upstream.statusCode === 200) return { ok: true, upstream };
    const error = this.said(upstream.statusCode, await readText(upstream.body, MAX_ERROR_BODY));
    const status = upstream.statusCode >= 400 ? clientStatus(upstream.statusCode) : 502;
    return { ok: false, status, message: error.message };
  }

  /**
   * vLLM's stream as events, then `done` — or `error` when vLLM sends one or the stream breaks off.
   * Returns without emitting once `signal` aborted (the client left).
   */
  async relay(
    upstream: UpstreamResponse,
    emit: (e: ExplainEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const split = sseDataSplitter();
    const decoder = new TextDecoder();
    let finished = false;
    let ended = false;
    const take = (payloads: string[]) => {
      for (const data of payloads) {
        if (ended) return;
        const r = readChunk(data);
        if (r.kind === 'done') finished = ended = true;
        else if (r.kind === 'error') {
          ended = true;
          emit({ type: 'error', status: r.status, message: this.said(r.status, r.text).message });
        } else {
          for (const e of r.events) emit(e);
          finished ||= r.finished;
        }
      }
    };
    try {
      for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
        take(split.push(decoder.decode(chunk, { stream: true })));
        if (ended) break;
      }
      if (!ended) take([...split.push(decoder.decode()), ...split.end()]);
    } catch (err) {
      if (signal.aborted) return;
      this.d.log.warn({ err }, 'explain-updates: the vLLM stream broke off');
    }
    if (signal.aborted) return;
    if (finished) emit({ type: 'done' });
    else if (!ended)
      emit({
        type: 'error',
        status: 502,
        message: 'vllm stream interrupted: the connection closed before the answer ended',
      });
  }

  /** The client's words for an upstream error; a 5xx's own text only goes to the log. */
  private said(status: number, text: string): OpenAiError {
    const reference = randomBytes(4).toString('hex');
    if (status >= 500)
      this.d.log.warn({ reference, status, upstream: text.slice(0, 2000) }, 'explain-updates: vLLM error');
    return clientFacingError(status, text, 'vllm', reference);
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
