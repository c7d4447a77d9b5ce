// POST /v1/redact/chat/completions (and the /v1/chat/completions of an always-redact key): the
// gateway's /v1 route checks the key, counts the request and waits for a swap, then hands it here.
// Every message's text is scrubbed in one vault transaction, the scrubbed request goes to vLLM,
// and the answer comes back with the values restored — as it streams, holding back only what could
// still be the start of a placeholder. The task id is in the `x-redaction-task-id` header and in
// the body (each streamed chunk's JSON and the whole answer's). Fail-closed: a scrub that fails
// answers 422 before anything reaches vLLM. Upstream errors keep their status and OpenAI envelope.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Agent, request } from 'undici';
import { TASK_ID_PATTERN } from '../../../../common/redaction-api.js';
import { AppError } from '../../../platform/http/errors.js';
import {
  BODY_INTERRUPTED,
  clientFacingError,
  clientStatus,
  errorBody,
  sseErrorEvent,
  STREAM_INTERRUPTED,
} from '../../gateway/openai-error.js';
import { SSE_HEADERS } from '../../gateway/proxy.js';
import type { RedactionService } from '../service.js';
import { createChatSseRehydrator, rehydrateChatCompletion } from '../engine/sse-rehydrate.js';

export const TASK_HEADER = 'x-redaction-task-id';
const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_ERROR_BODY = 64 * 1024;
const MAX_BODY = 32 * 1024 * 1024;
const TASK_ID = new RegExp(TASK_ID_PATTERN);

/** What the gateway's route gives the handler: vLLM's URL for chat, and how to mark a failure. */
export interface RedactChatTarget {
  url: string;
  onFailed(): void;
}

export type RedactChat = (req: FastifyRequest, reply: FastifyReply, t: RedactChatTarget) => Promise<void>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each JSON `data:` line of an SSE text gets the task id (a safe literal: TASK_ID_PATTERN). */
const withTaskId = (sse: string, id: string) => sse.replace(/^data: \{/gm, `data: {"task_id":"${id}",`);

export function createRedactChat(o: { service: RedactionService; timeoutMs?: number }): {
  handle: RedactChat;
  close(): Promise<void>;
} {
  const timeout = o.timeoutMs ?? 30 * 60_000;
  const agent = new Agent({ headersTimeout: timeout, bodyTimeout: timeout, connect: { timeout: 5_000 } });

  const handle: RedactChat = async (req, reply, t) => {
    const body = req.body;
    if (!isObj(body) || !Array.isArray(body.messages))
      throw new AppError('BAD_REQUEST', 'A chat request needs a JSON object with a messages array.', {
        details: { param: 'messages' },
      });
    const given = body.task_id;
    if (given !== undefined && (typeof given !== 'string' || !TASK_ID.test(given)))
      throw new AppError('VALIDATION_FAILED', `task_id must match ${TASK_ID_PATTERN}`, {
        details: { param: 'task_id' },
      });
    const { body: scrubbed, table, taskId } = o.service.scrubChat(given, body);
    const streaming = scrubbed.stream === true;
    const res = reply.raw;
    const ac = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    let up: Awaited<ReturnType<typeof request>>;
    try {
      up = await request(t.url, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: req.headers.accept ?? '*/*' },
        body: JSON.stringify(scrubbed),
        signal: ac.signal,
      });
    } catch (err) {
      if (ac.signal.aborted) {
        reply.hijack();
        return;
      }
      const code = (err as { code?: string }).code;
      if (res.headersSent) {
        // A swap-on-request hold already opened the stream: the error goes in-stream.
        reply.hijack();
        t.onFailed();
        res.end(
          sseErrorEvent({ message: 'vllm unreachable', type: 'server_error', param: null, code: null }),
        );
        return;
      }
      throw new AppError(
        code === 'UND_ERR_HEADERS_TIMEOUT' ? 'TIMEOUT' : 'UPSTREAM_ERROR',
        code === 'UND_ERR_HEADERS_TIMEOUT' ? 'vllm did not answer in time' : 'vllm unreachable',
        { cause: err },
      );
    }
    reply.hijack();
    const head = { [TASK_HEADER]: taskId };
    const type = String(up.headers['content-type'] ?? '');
    if (up.statusCode >= 400 || (streaming && up.statusCode !== 200)) {
      const text = await readLimited(up.body, MAX_ERROR_BODY).catch(() => '');
      const reference = randomBytes(4).toString('hex');
      if (up.statusCode >= 500)
        req.log.warn({ reference, status: up.statusCode, upstream: text.slice(0, 2000) }, 'upstream error');
      const error = clientFacingError(up.statusCode, text, 'vllm', reference);
      if (res.headersSent) {
        t.onFailed();
        res.end(sseErrorEvent(error));
        return;
      }
      const status = up.statusCode >= 400 ? clientStatus(up.statusCode) : 502;
      res.writeHead(status, { 'content-type': JSON_TYPE, ...head });
      res.end(errorBody(error));
      return;
    }
    if (!type.startsWith('text/event-stream') && !res.headersSent) {
      let text: string;
      try {
        text = await readLimited(up.body, MAX_BODY);
      } catch {
        if (ac.signal.aborted) return;
        t.onFailed();
        res.writeHead(502, { 'content-type': JSON_TYPE, ...head });
        res.end(errorBody(BODY_INTERRUPTED('vllm')));
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        t.onFailed();
        res.writeHead(502, { 'content-type': JSON_TYPE, ...head });
        res.end(
          errorBody({ ...BODY_INTERRUPTED('vllm'), message: 'vllm answered something that is not JSON' }),
        );
        return;
      }
      const answer = rehydrateChatCompletion(json, table);
      const out = JSON.stringify(isObj(answer) ? { ...answer, task_id: taskId } : answer);
      res.writeHead(up.statusCode, {
        'content-type': JSON_TYPE,
        ...head,
        'content-length': Buffer.byteLength(out),
      });
      res.end(out);
      return;
    }
    // Opened already when a swap-on-request hold sent loading notices (the chunks carry the id).
    if (!res.headersSent) res.writeHead(200, { ...SSE_HEADERS, ...head });
    const sse = createChatSseRehydrator(table);
    const decoder = new TextDecoder();
    try {
      for await (const chunk of up.body as AsyncIterable<Buffer>) {
        const out = sse.push(decoder.decode(chunk, { stream: true }));
        if (out) await write(res, withTaskId(out, taskId), ac.signal);
      }
      res.end(withTaskId(sse.push(decoder.decode()) + sse.end(), taskId));
    } catch {
      if (ac.signal.aborted) return;
      t.onFailed();
      res.end(sseErrorEvent(STREAM_INTERRUPTED));
    }
  };

  return { handle, close: () => agent.destroy() };
}

async function write(res: ServerResponse, text: string, signal: AbortSignal): Promise<void> {
  if (!res.write(text)) await once(res, 'drain', { signal });
}

async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new Error('upstream body over the limit');
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}
