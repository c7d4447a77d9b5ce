// The OpenAI-compatible gateway (SPEC §9): one base URL (`/v1`) for every app on the LAN. Chat and
// completions are relayed to vLLM byte for byte, embeddings to the embeddings server, speech to
// Parakeet and Magpie (audio.ts); /v1/models merges the model lists of every source. Optional API
// keys guard /v1; per-client counters are at /api/gateway/stats.
import type { SpeechApi } from '../../../common/services-api.js';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../platform/http/errors.js';
import { audioRoutes, magpieVoices, type SpeechService } from './audio.js';
import { ANONYMOUS, ApiKeys } from './auth.js';
import { keepRawJson, peekRequest, rawBody } from './body.js';
import {
  findModel,
  listEntries,
  listModels,
  modelNotFound,
  wantsVoices,
  type ModelSource,
} from './models.js';
import { SSE_HEADERS, Upstream } from './proxy.js';
import { sseErrorEvent } from './openai-error.js';
import { loadingNotice, type SwapOnRequest } from './swap-on-request.js';
import { embeddingsBase, serviceModelSources } from './sources.js';
import { FastPath, fastifyRequestIds } from './fast-path.js';
import { NativePump } from './native-relay.js';
import { SpliceRelay } from './splice-relay.js';
import { GatewayStats, type GatewayObserver } from './stats.js';
import type { RedactChat } from '../redaction/chat/redact-chat.js';
import { defaultUploadPolicy, type UploadPolicy } from './upload.js';

export interface GatewayDeps {
  /** `always_redact`: the key's /v1/chat/completions go through `redactChat`. */
  apiKeys: readonly { name: string; key: string; always_redact?: boolean }[];
  /** Largest JSON body accepted by the relayed routes, in MB. */
  maxBodyMb: number;
  /** vLLM's OpenAI base URL (`http://host:port/v1`); null when no vLLM node is configured. */
  vllmBaseUrl: () => string | null;
  /** Parakeet's and Magpie's base URLs (`http://host:port`); null or absent when not configured. */
  parakeetBaseUrl?: () => string | null;
  /** Which API the ASR service speaks (services.parakeet.api): the Parakeet app or an ASR NIM. */
  parakeetApi?: () => SpeechApi | undefined;
  magpieBaseUrl?: () => string | null;
  /** The OpenAI-shaped embeddings server (`http://host:port`, `/v1` optional). */
  embeddingsUrl?: string | null;
  /** Largest transcription upload, in MB; 200 unless said otherwise. */
  maxUploadMb?: number;
  /** A speech service answered 5xx: probe it now. */
  onSpeechFailure?: (service: SpeechService) => void;
  /** gateway.voice_map (OpenAI voice names → Magpie voices) and gateway.ffmpeg_path. */
  voiceMap?: Record<string, string>;
  ffmpegPath?: string | null;
  /** More entries for GET /v1/models, merged after vLLM's and the speech/embeddings services'. */
  modelSources?: ModelSource[];
  /** List every Magpie voice in GET /v1/models as before (config `gateway.list_voices_in_models`). */
  listVoicesInModels?: boolean;
  /** Swap on request (config `gateway.swap_on_request`); absent when off. */
  swapOnRequest?: SwapOnRequest;
  /** Upload slots and spool for multipart routes; a private one under the OS temp dir if absent. */
  uploads?: UploadPolicy;
  /** Headers and idle-body timeout towards vLLM; 30 minutes unless a test says otherwise. */
  timeoutMs?: number;
  /** The global GPU cap on audio work (shared with /api/audio); uncapped when absent. */
  audioGpu?: { tryAcquire(): () => void };
  /**
   * Serve the streaming routes before Fastify (fast-path.ts) with the request guard's Host
   * allow-list; absent, every request goes through Fastify. `onServed` lets tests see it taken.
   */
  fastPath?: {
    allowsHost(host: string | undefined): boolean;
    onServed?: () => void;
    /** Streams spliced (splice-relay.ts) unless false. */
    splice?: boolean;
    /** Spliced streams' tokens carried by the native pump (native-relay.ts) when it was built, unless false. */
    native?: boolean;
  };
  /** Sees every /v1 request start (the metrics module's per-route, per-model histograms). */
  observer?: GatewayObserver;
  /** The redaction module's chat handler (redaction/chat/redact-chat.ts); absent: no redacting route. */
  redactChat?: RedactChat;
}

/** The redacting chat route: scrubbed up, rehydrated back (the redaction module does the work). */
const REDACT_PATH = '/v1/redact/chat/completions';

const tags = ['gateway'];

/** Documented for the OpenAPI page, never enforced: the body goes to vLLM as sent. */
const relayedBody = (what: string, to = 'vLLM') =>
  Type.Object(
    {
      model: Type.Optional(Type.String({ description: 'A served model id (GET /v1/models)' })),
      stream: Type.Optional(
        Type.Union([Type.Boolean(), Type.Null()], { description: 'true: server-sent events' }),
      ),
    },
    { additionalProperties: true, description: `OpenAI ${what} request, passed to ${to} byte for byte` },
  );

/**
 * Every route relayed to vLLM as is: `path` here, `upstream` on vLLM's server (its root, not /v1).
 * vLLM's own paths are served too (`/tokenize`, `/rerank`, `/v2/rerank`, `/score`), so a client
 * written for vLLM only changes its host; the /v1 spellings serve clients given one base URL.
 */
const RELAYED: readonly {
  path: string;
  upstream: string;
  summary: string;
  body: ReturnType<typeof relayedBody>;
}[] = [
  {
    path: '/v1/chat/completions',
    upstream: '/v1/chat/completions',
    summary: 'OpenAI chat completions, relayed to vLLM (streaming or not)',
    body: relayedBody('chat completions'),
  },
  {
    path: '/v1/completions',
    upstream: '/v1/completions',
    summary: 'OpenAI (legacy) text completions, relayed to vLLM (streaming or not)',
    body: relayedBody('completions'),
  },
  {
    path: '/v1/responses',
    upstream: '/v1/responses',
    summary: 'OpenAI Responses API, relayed to vLLM (streaming or not)',
    body: relayedBody('responses'),
  },
  ...(['/v1/rerank', '/rerank', '/v2/rerank'] as const).map((path) => ({
    path,
    upstream: path,
    summary: "vLLM's rerank API (Jina/Cohere style; pooling models only), relayed to vLLM",
    body: relayedBody('rerank'),
  })),
  ...(['/v1/score', '/score'] as const).map((path) => ({
    path,
    upstream: path,
    summary: "vLLM's score API (pooling models only), relayed to vLLM",
    body: relayedBody('score'),
  })),
  ...(['tokenize', 'detokenize'] as const).flatMap((name) =>
    [`/v1/${name}`, `/${name}`].map((path) => ({
      path,
      upstream: `/${name}`,
      summary: `vLLM's /${name} with the loaded model's tokenizer, relayed to vLLM`,
      body: relayedBody(name),
    })),
  ),
];

/** vLLM's server root from its OpenAI base URL (`http://host:port/v1` → `http://host:port`). */
const vllmRoot = (base: string) => base.replace(/\/+$/, '').replace(/\/v1$/, '');

interface RequestMeta {
  name: string;
  failed: boolean;
}

export async function gatewayRoutes(app: FastifyInstance, d: GatewayDeps) {
  const upstream = new Upstream({ timeoutMs: d.timeoutMs ?? 30 * 60_000 });
  const keys = new ApiKeys(d.apiKeys);
  const stats = new GatewayStats([ANONYMOUS, ...keys.names], {
    keysRequired: keys.required,
    observer: d.observer,
  });
  const metas = new WeakMap<FastifyRequest, RequestMeta>();
  const bodyLimit = Math.round(d.maxBodyMb * 1024 * 1024);
  const parakeetBaseUrl = d.parakeetBaseUrl ?? (() => null);
  const magpieBaseUrl = d.magpieBaseUrl ?? (() => null);
  const embeddings = embeddingsBase(d.embeddingsUrl ?? null);
  const voices = magpieVoices(upstream, magpieBaseUrl);
  /** `created` of model entries whose service does not say: when this gateway started. */
  const created = Math.floor(Date.now() / 1000);
  const alwaysRedact = new Set(
    d.redactChat ? d.apiKeys.filter((k) => k.always_redact).map((k) => k.name) : [],
  );
  const routes = d.redactChat
    ? [
        ...RELAYED,
        {
          path: REDACT_PATH,
          upstream: '/v1/chat/completions',
          summary:
            'Chat completions with PII scrubbed before vLLM and restored in the answer (streaming or not); optional task_id',
          body: relayedBody('chat completions (plus an optional task_id)', 'vLLM scrubbed'),
        },
      ]
    : RELAYED;
  const markFailed = (req: FastifyRequest) => {
    const meta = metas.get(req);
    if (meta) meta.failed = true;
  };
  const sources: ModelSource[] = [
    {
      kind: 'llm',
      list: async () => {
        const base = d.vllmBaseUrl();
        if (!base) return [];
        const { status, body } = await upstream.getJson(`${base}/models`);
        return status === 200 ? listEntries(body) : [];
      },
    },
    ...serviceModelSources({
      upstream,
      parakeetBaseUrl,
      parakeetApi: d.parakeetApi,
      magpieBaseUrl,
      voices,
      embeddingsUrl: embeddings,
    }),
    ...(d.modelSources ?? []),
  ];
  const timeoutMs = d.timeoutMs ?? 30 * 60_000;
  let root: { base: string | null; url: string | null } = { base: null, url: null };
  const splice =
    d.fastPath && d.fastPath.splice !== false
      ? new SpliceRelay(upstream, { timeoutMs, pump: nativePump(d.fastPath.native !== false, app.log) })
      : undefined;
  const fast = d.fastPath
    ? new FastPath({
        splice,
        allowsHost: d.fastPath.allowsHost,
        onServed: d.fastPath.onServed,
        keys,
        stats,
        bodyLimit,
        upstream,
        vllmRoot: () => {
          // Asked once per streamed request: the root is worked out again only when the base changes.
          const base = d.vllmBaseUrl();
          if (base !== root.base) root = { base, url: base ? vllmRoot(base) : null };
          return root.url;
        },
        swapOnRequest: d.swapOnRequest,
        stepsAsideFor: (name) => alwaysRedact.has(name),
        log: app.log,
        genReqId: fastifyRequestIds(app),
      })
    : null;
  fast?.install(app.server);
  // Before the server waits for open connections: a relay in flight ends now, not in 30 minutes.
  app.addHook('preClose', async () => {
    fast?.close();
    splice?.destroy();
    await upstream.destroy();
  });

  app.get(
    '/api/gateway/stats',
    {
      schema: {
        summary: 'Gateway requests, errors and latency per API key name (or anonymous); never the keys',
        tags,
      },
    },
    async () => stats.snapshot(),
  );

  await app.register(async (v1) => {
    keepRawJson(v1);
    v1.setErrorHandler((err: FastifyError) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `The request body is larger than the gateway's limit of ${d.maxBodyMb} MB (gateway.max_body_mb).`,
        );
      }
      // Everything else goes to the app's handler, which answers OpenAI's envelope under /v1.
      throw err;
    });

    v1.addHook('onRequest', async (req, reply) => {
      const started = performance.now();
      const who = keys.check(req.headers.authorization);
      const meta: RequestMeta = { name: who.name, failed: false };
      metas.set(req, meta);
      const res = reply.raw;
      stats.watch({
        res,
        keyName: meta.name,
        route: req.routeOptions.url,
        request: () => peekRequest(req.body),
        failed: () => meta.failed,
      });
      res.once('close', () =>
        stats.record(meta.name, {
          status: res.statusCode,
          ms: performance.now() - started,
          aborted: !res.writableFinished,
          failed: meta.failed,
        }),
      );
      if (!who.ok) {
        throw new AppError(
          'UNAUTHORIZED',
          who.reason === 'missing'
            ? 'This gateway requires an API key: send Authorization: Bearer <key>.'
            : 'Invalid API key.',
          { headers: { 'www-authenticate': 'Bearer' } },
        );
      }
    });

    for (const r of routes) {
      v1.post(
        r.path,
        { bodyLimit, schema: { summary: r.summary, tags, body: r.body } },
        async (req, reply) => {
          const keyName = metas.get(req)?.name ?? '';
          const redactedKey = alwaysRedact.has(keyName);
          // An always-redact key reaches vLLM only through the redacting chat route: its text on any
          // other route would go to the model unscrubbed, with nothing to restore an answer with.
          if (redactedKey && r.path !== '/v1/chat/completions' && r.path !== REDACT_PATH)
            throw new AppError(
              'FORBIDDEN',
              `API key "${keyName}" is always redacted, and ${r.path} cannot be: its text would reach the ` +
                'model unscrubbed. Use /v1/chat/completions (the AI SDK: openai.chat(model)).',
            );
          const base = d.vllmBaseUrl();
          if (!base) throw new AppError('UPSTREAM_ERROR', 'vllm unreachable: no vLLM node is configured');
          const raw = rawBody(req);
          if (!raw)
            throw new AppError(
              'BAD_REQUEST',
              'The request body must be JSON (Content-Type: application/json).',
            );
          const { model, stream } = peekRequest(req.body);
          const swap = d.swapOnRequest;
          const target = swap?.needed(model) ?? null;
          if (swap && target) {
            if (!stream) {
              // A client that leaves while held is let go at once; the shared swap carries on.
              if ((await untilReadyOrGone(reply, swap.ensure(target))) === 'gone') return reply.hijack();
            } else if (!(await holdStream(reply, target, () => swap.ensure(target)))) return;
          }
          const redact = r.path === REDACT_PATH || redactedKey ? d.redactChat : undefined;
          if (redact) {
            await redact(req, reply, {
              url: `${vllmRoot(base)}${r.upstream}`,
              onFailed: () => markFailed(req),
            });
            return;
          }
          await upstream.relay(req, reply, {
            url: `${vllmRoot(base)}${r.upstream}`,
            body: raw,
            streaming: stream,
            onFailed: () => markFailed(req),
          });
        },
      );
    }

    v1.post(
      '/v1/embeddings',
      {
        bodyLimit,
        schema: {
          summary: 'OpenAI embeddings, relayed to the embeddings server',
          tags,
          body: relayedBody('embeddings', 'the embeddings server'),
        },
      },
      async (req, reply) => {
        if (!embeddings)
          throw new AppError('SERVICE_UNAVAILABLE', 'embeddings are not configured (embeddings_url)');
        const raw = rawBody(req);
        if (!raw)
          throw new AppError(
            'BAD_REQUEST',
            'The request body must be JSON (Content-Type: application/json).',
          );
        await upstream.relay(req, reply, {
          url: `${embeddings}/v1/embeddings`,
          body: raw,
          service: 'embeddings',
          streaming: false,
          onFailed: () => markFailed(req),
        });
      },
    );

    audioRoutes(v1, {
      upstream,
      parakeetBaseUrl,
      parakeetApi: d.parakeetApi,
      magpieBaseUrl,
      voices,
      voiceMap: d.voiceMap,
      ffmpegPath: d.ffmpegPath,
      maxUploadMb: d.maxUploadMb ?? 200,
      uploads: d.uploads ?? defaultUploadPolicy(),
      onSpeechFailure: d.onSpeechFailure,
      onFailed: markFailed,
      gpu: d.audioGpu,
    });

    // A client given …/v1/redact as its base URL lists models there too.
    for (const path of d.redactChat ? ['/v1/models', '/v1/redact/models'] : ['/v1/models'])
      v1.get(
        path,
        {
          schema: {
            summary:
              'Every model the gateway serves (LLMs, the STT model, one TTS model, the embedding model), each tagged with spark_control.kind',
            tags,
            querystring: Type.Object({
              voices: Type.Optional(
                Type.String({ maxLength: 8, description: '1: also list every Magpie voice as a tts entry' }),
              ),
            }),
          },
        },
        async (req) =>
          listModels(sources, { voices: wantsVoices(req.query, d.listVoicesInModels ?? false), created }),
      );

    // A wildcard: model ids such as `Qwen/Qwen3-30B-A3B-Instruct-2507-FP8` contain slashes.
    v1.get(
      '/v1/models/*',
      {
        schema: {
          summary: 'One model of GET /v1/models by id (ids with `/` included); 404 model_not_found otherwise',
          tags,
        },
      },
      async (req, reply) => {
        const id = (req.params as { '*'?: string })['*'] ?? '';
        const found = await findModel(sources, id, created);
        if (!found) return reply.code(404).type('application/json; charset=utf-8').send(modelNotFound(id));
        return found;
      },
    );
  });
}

/**
 * A streaming client waiting for a swap gets the stream opened at once with loading notices
 * (SSE comments, ignored by OpenAI parsers) every few seconds; if the swap fails, one error event.
 * Returns false when the request is over (failed, or the client went away).
 */
/** Waits for `ready`, unless the client closes its connection first. */
async function untilReadyOrGone(reply: FastifyReply, ready: Promise<void>): Promise<'ready' | 'gone'> {
  const res = reply.raw;
  let onClose: (() => void) | undefined;
  const gone = new Promise<'gone'>((resolve) => {
    onClose = () => resolve('gone');
    res.once('close', onClose);
  });
  try {
    return await Promise.race([ready.then(() => 'ready' as const), gone]);
  } finally {
    if (onClose) res.off('close', onClose);
    // The shared wait may still fail after this client left: nobody else needs to hear it here.
    ready.catch(() => undefined);
  }
}

async function holdStream(
  reply: FastifyReply,
  target: { model: string },
  wait: () => Promise<void>,
): Promise<boolean> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, SSE_HEADERS);
  res.write(loadingNotice(target.model, null));
  const started = Date.now();
  const ping = setInterval(
    () =>
      res.write(
        `: spark-control: still loading ${target.model} (${Math.round((Date.now() - started) / 1000)} s)\n\n`,
      ),
    5000,
  );
  try {
    await wait();
    return !res.destroyed;
  } catch (e) {
    const err = e instanceof AppError ? e : new AppError('INTERNAL', 'The swap failed');
    res.end(sseErrorEvent({ message: err.message, type: 'server_error', param: null, code: err.code }));
    return false;
  } finally {
    clearInterval(ping);
  }
}

/** The native stream pump when wanted and built; the log says which relay carries streams' tokens. */
function nativePump(wanted: boolean, log: FastifyBaseLogger): NativePump | null {
  const { pump, why } = wanted ? NativePump.load() : { pump: null, why: 'SPARK_GATEWAY_NATIVE=0' };
  if (pump) log.info('gateway streams: tokens carried by the native stream pump');
  else log.info({ why }, 'gateway streams: tokens relayed in JavaScript');
  return pump;
}
