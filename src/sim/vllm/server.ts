// The fake vLLM's HTTP front end on 127.0.0.1. It listens only while the engine is serving:
// when the engine stops, the container stops, the head node drops or the vllmDown fault is on,
// the port refuses connections exactly like a dead `vllm serve`.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ToggleListener } from '../http-listener.js';
import type { VllmEngine } from './engine.js';
import { newVllmFaults, type VllmFaults } from './faults.js';
import { VLLM_VERSION } from './log.js';
import { apiError, type ApiResult, generate } from './openai.js';
import { responses } from './responses.js';
import { parseJsonBody, utility, UTILITY_PATHS } from './tokenize.js';

const MAX_BODY = 16 * 1024 * 1024;

export class VllmServer {
  /** Generation faults (crash mid-stream, forced errors, slow first token, token delay). */
  readonly faults = newVllmFaults();
  private readonly listener: ToggleListener;

  constructor(
    private readonly engine: VllmEngine,
    private readonly speed: number,
    port = 0,
  ) {
    this.listener = new ToggleListener((req, res) => this.handle(req, res), port);
    engine.on('change', () => {
      this.sync().catch((err: unknown) =>
        console.warn(`sim vLLM: cannot listen on ${this.port}: ${String(err)}`),
      );
    });
  }

  get port(): number {
    return this.listener.port;
  }

  setFaults(patch: Partial<VllmFaults>): void {
    Object.assign(this.faults, patch);
  }

  /** Binds once to learn the (possibly ephemeral) port, then follows the engine's state. */
  async start(): Promise<void> {
    await this.listener.set(true);
    await this.sync();
  }

  /** Listens only while the engine serves; flips run one at a time (see ToggleListener). */
  sync(): Promise<void> {
    return this.listener.set(this.engine.serving);
  }

  close(): Promise<void> {
    return this.listener.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('server', 'uvicorn');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let result: ApiResult;
    try {
      result = await this.route(req, res, path);
    } catch {
      result = apiError(500, 'InternalServerError', 'Internal server error');
    }
    if (result !== 'streamed' && !res.headersSent) {
      if (result.body === null) res.writeHead(result.status, { 'content-length': '0' }).end();
      else if (typeof result.body === 'string') {
        res
          .writeHead(result.status, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
          .end(result.body);
      } else
        res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.body));
    }
    const status = res.statusCode;
    const addr = `${req.socket.remoteAddress ?? '127.0.0.1'}:${req.socket.remotePort ?? 0}`;
    this.engine.accessLog(
      `${addr} - "${req.method} ${path} HTTP/${req.httpVersion}" ${status} ${res.statusMessage}`,
    );
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<ApiResult> {
    const model = this.engine.model ?? '';
    const key = `${req.method} ${path}`;
    // --api-key guards the /v1 routes only (vLLM's authentication middleware).
    const keys = this.engine.settings?.apiKeys ?? [];
    if (
      keys.length > 0 &&
      path.startsWith('/v1') &&
      !keys.some((k) => req.headers.authorization === `Bearer ${k}`)
    ) {
      return { status: 401, body: { error: 'Unauthorized' } };
    }
    if (req.method === 'POST' && (path === '/v1/responses' || UTILITY_PATHS.includes(path))) {
      const raw = await readBody(req);
      if (raw === undefined) return apiError(413, 'BadRequestError', 'Request body too large');
      const parsed = parseJsonBody(raw);
      if ('status' in parsed) return parsed;
      if (path !== '/v1/responses') return utility(this.engine, path, parsed.body);
      return responses({ engine: this.engine, speed: this.speed, faults: this.faults }, parsed.body, res);
    }
    switch (key) {
      case 'GET /health':
        // api_server.py `health`: EngineDeadError → an empty 503 while the server still runs.
        return { status: this.faults.engineDead ? 503 : 200, body: null };
      case 'GET /version':
        return { status: 200, body: { version: VLLM_VERSION } };
      case 'GET /metrics':
        return { status: 200, body: this.engine.metrics.render(model) };
      case 'GET /v1/models':
        return { status: 200, body: modelsList(this.engine) };
      case 'POST /v1/chat/completions':
      case 'POST /v1/completions': {
        const raw = await readBody(req);
        if (raw === undefined) return apiError(413, 'BadRequestError', 'Request body too large');
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch (err) {
          const detail = err instanceof Error ? err.message : 'Expecting value';
          return apiError(
            400,
            'BadRequestError',
            `[{'type': 'json_invalid', 'loc': ('body', 0), 'msg': 'JSON decode error', 'input': {}, 'ctx': {'error': '${detail.replace(/'/g, '')}'}}]`,
          );
        }
        const kind = path === '/v1/chat/completions' ? 'chat' : 'completion';
        return generate({ engine: this.engine, speed: this.speed, faults: this.faults }, kind, body, res);
      }
      default: {
        const known = [
          '/health',
          '/version',
          '/metrics',
          '/v1/models',
          '/v1/chat/completions',
          '/v1/completions',
          '/v1/responses',
          ...UTILITY_PATHS,
        ];
        // FastAPI's own answers for unknown paths and wrong methods.
        return known.includes(path)
          ? { status: 405, body: { detail: 'Method Not Allowed' } }
          : { status: 404, body: { detail: 'Not Found' } };
      }
    }
  }
}

/** One card per served name, rooted at the model as given to `vllm serve` (repo id or path). */
function modelsList(engine: VllmEngine): unknown {
  const created = Math.floor(Date.now() / 1000);
  const s = engine.settings;
  return {
    object: 'list',
    data: (s?.servedNames ?? []).map((id) => ({
      id,
      object: 'model',
      created,
      owned_by: 'vllm',
      root: s?.model ?? id,
      parent: null,
      max_model_len: s?.maxModelLen ?? null,
      permission: [
        {
          id: `modelperm-${randomBytes(16).toString('hex')}`,
          object: 'model_permission',
          created,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: '*',
          group: null,
          is_blocking: false,
        },
      ],
    })),
  };
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
