// The gateway module in one call for buildApp: the OpenAI-compatible /v1 relay to vLLM, Parakeet,
// Magpie and the embeddings server, with swap on request when the config turns it on.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { InputLimits } from '../../platform/http/limits.js';
import type { CatalogService } from '../catalog/service.js';
import type { ConnectivityLog } from '../connectivity/log.js';
import type { StatusService } from '../health/status-service.js';
import type { SwapService } from '../swap/service.js';
import { hostAllowList } from '../../platform/http/request-guard.js';
import type { RedactChat } from '../redaction/index.js';
import { gatewayRoutes } from './routes.js';
import type { GatewayObserver } from './stats.js';
import { SwapOnRequest } from './swap-on-request.js';
import { uploadPolicy } from './upload.js';

export interface GatewayModuleDeps {
  config: AppConfig;
  limits: InputLimits;
  bus: EventBus;
  status: StatusService;
  catalog: CatalogService;
  swaps: SwapService;
  connectivity: ConnectivityLog;
  /** Deep health's hook: probe (and maybe restart) the speech service that just failed. */
  onSpeechFailure?: (service: 'parakeet' | 'magpie') => void;
  /** The global GPU cap on audio work, shared with the audio pipeline (audio.gpu_concurrency). */
  audioGpu?: { tryAcquire(): () => void };
  /** The redaction module's chat handler: /v1/redact/chat/completions and always-redact keys. */
  redactChat?: RedactChat;
}

export interface GatewayModule {
  /** Adds an observer of every /v1 request (the metrics module, wired after the gateway). */
  observe(fn: GatewayObserver): void;
}

export async function gatewayModule(app: FastifyInstance, d: GatewayModuleDeps): Promise<GatewayModule> {
  const { config, status, swaps } = d;
  const observers: GatewayObserver[] = [];
  const hosts = hostAllowList(config);
  await app.register(gatewayRoutes, {
    apiKeys: config.api_keys,
    maxBodyMb: config.gateway.max_body_mb,
    maxUploadMb: config.gateway.max_upload_mb,
    uploads: uploadPolicy(d.limits, config.data_dir),
    vllmBaseUrl: () => status.vllmEndpoint(),
    parakeetBaseUrl: () => status.endpoints().parakeet.base_url,
    parakeetApi: () => config.services.parakeet?.api,
    magpieBaseUrl: () => status.endpoints().magpie.base_url,
    embeddingsUrl: config.embeddings_url,
    listVoicesInModels: config.gateway.list_voices_in_models,
    voiceMap: config.gateway.voice_map,
    ffmpegPath: config.gateway.ffmpeg_path,
    audioGpu: d.audioGpu,
    observer: (w) => {
      for (const fn of observers) fn(w);
    },
    redactChat: d.redactChat,
    // The request guard's own list (app.ts installs it from the same config). SPARK_GATEWAY_FAST_PATH=0
    // sends every request through Fastify: a diagnostic switch (and the bench's before/after);
    // SPARK_GATEWAY_SPLICE=0 keeps the fast path but relays its streams through undici;
    // SPARK_GATEWAY_NATIVE=0 splices them but relays every token in JS (no native pump).
    fastPath:
      process.env.SPARK_GATEWAY_FAST_PATH === '0'
        ? undefined
        : {
            allowsHost: (h) => hosts.allows(h),
            splice: process.env.SPARK_GATEWAY_SPLICE !== '0',
            native: process.env.SPARK_GATEWAY_NATIVE !== '0',
          },
    swapOnRequest: config.gateway.swap_on_request
      ? new SwapOnRequest({
          keyFor: (model) => d.catalog.keyForServedModel(model),
          loadedModel: () => status.endpoints().vllm.model,
          running: () => swaps.running(),
          start: (key) => swaps.start(key, null),
          probe: () => status.checkVllm(),
          bus: d.bus,
          timeoutMs: config.gateway.swap_on_request_timeout_s * 1000,
        })
      : undefined,
    onSpeechFailure: (service) => {
      app.log.warn({ service }, 'speech service failed a gateway request; probing it now');
      d.connectivity.reportGatewayFailure(service);
      void status.refresh();
      d.onSpeechFailure?.(service);
    },
  });
  return { observe: (fn) => void observers.push(fn) };
}
