// NVIDIA NIM containers on the simulated Sparks: the nvcr.io registry (`docker login` with the NGC
// key on stdin, `docker pull` of layered NIM images) and the NIM runtime — a container started from
// a NIM image with `-p HOST:9000` serves the NIM's HTTP API on that host port once its model
// "downloaded". Like a real NIM it needs NGC_API_KEY in its environment (a missing or wrong key:
// the model download fails and it never becomes ready) and a cache at /opt/nim/.cache that uid 1000
// can write (the owner `chown` recorded in state/volume-owners).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSpec } from './containers.js';
import type { TextReply } from './control-api.js';
import { type HttpHandler, sendJson, ToggleListener } from './http-listener.js';
import { magpieHandler } from './speech/magpie.js';
import { NIM_ASR_MODEL, nimAsrHandler } from './speech/nim-asr.js';

/** The key the simulated NGC accepts unless `nimBadKey` is on (tests pass it as secrets.ngc_api_key). */
export const SIM_NGC_KEY = 'nvapi-SIMULATED-ngc-key-0123456789abcdefABCDEF';
export const NIM_REGISTRY = 'nvcr.io';
const CACHE = '/opt/nim/.cache';
/** Model download + engine load after a start, seconds at speed 1. */
const LOAD_S = 15;

interface NimImage {
  ref: string;
  kind: 'asr' | 'tts' | 'other';
  /** Layer sizes in bytes, in pull order. */
  layers: number[];
}

const MB = 1024 * 1024;
const IMAGES: NimImage[] = [
  {
    ref: `${NIM_REGISTRY}/nim/nvidia/${NIM_ASR_MODEL}`,
    kind: 'asr',
    layers: [29 * MB, 1210 * MB, 342 * MB, 1730 * MB, 12_000],
  },
  {
    ref: `${NIM_REGISTRY}/nim/nvidia/magpie-tts-multilingual`,
    kind: 'tts',
    layers: [29 * MB, 1450 * MB, 880 * MB, 9000],
  },
  {
    ref: `${NIM_REGISTRY}/nim/nvidia/riva-translate-1_6b`,
    kind: 'other',
    layers: [29 * MB, 2100 * MB, 7000],
  },
];

const hex = (s: string, n: number): string => createHash('sha256').update(s).digest('hex').slice(0, n);
const untagged = (image: string): string => image.replace(/:latest$/, '');

export interface NimDeps {
  speed: number;
  stateDir(node: string): string;
  log(node: string, container: string, lines: string[]): void;
  /** The PCM → text memory of the simulated Magpie (speech loopback). */
  heard(pcm: Buffer): string | undefined;
  /** Adds to that memory: an installed Magpie NIM speaks like the configured one. */
  remember(pcm: Buffer, text: string): void;
}

class NimContainer {
  readonly listener: ToggleListener;
  ready = false;
  /** The `nim-asr-wedge` fault: transcriptions fail (CUBLAS) until the container restarts. */
  wedged = false;
  private gen = 0;

  constructor(
    readonly name: string,
    readonly kind: NimImage['kind'],
    handler: HttpHandler,
    port: number,
  ) {
    this.listener = new ToggleListener(handler, port);
  }

  bump(): number {
    this.ready = false;
    // Stopped or restarted: a fresh process has a healthy CUDA context again.
    this.wedged = false;
    return ++this.gen;
  }

  current(gen: number): boolean {
    return gen === this.gen;
  }
}

export class SimNim {
  /** The `nim-bad-key` fault: the registry and the model download refuse every key. */
  badKey = false;
  /** The `nim-asr-wedge` switch: on until turned off or an ASR NIM's container restarts. */
  private asrWedge = false;
  private readonly key: string;
  private readonly loggedIn = new Map<string, string>();
  private readonly running = new Map<string, NimContainer>();

  constructor(
    private readonly d: NimDeps,
    key = SIM_NGC_KEY,
  ) {
    this.key = key;
  }

  private keyOk(key: string | undefined): boolean {
    return !this.badKey && key === this.key;
  }

  /** `docker login nvcr.io -u '$oauthtoken' --password-stdin`. */
  login(node: string, server: string, user: string, password: string): TextReply {
    if (server !== NIM_REGISTRY)
      return { status: 404, text: `Get "https://${server}/v2/": dial tcp: lookup ${server}: no such host` };
    if (user !== '$oauthtoken' || !this.keyOk(password)) {
      this.loggedIn.delete(node);
      return {
        status: 401,
        text: `Get "https://${NIM_REGISTRY}/v2/": unauthorized: authentication required`,
      };
    }
    this.loggedIn.set(node, password);
    return { status: 200, text: 'Login Succeeded' };
  }

  logout(node: string): void {
    this.loggedIn.delete(node);
  }

  /** `docker pull`: `digest <sha>` and `layer <id> <bytes>` lines, or the registry's refusal. */
  manifest(node: string, image: string): TextReply {
    const ref = untagged(image);
    const img = IMAGES.find((i) => i.ref === ref);
    if (!ref.startsWith(`${NIM_REGISTRY}/`))
      return {
        status: 404,
        text: `pull access denied for ${ref}, repository does not exist or may require 'docker login'`,
      };
    if (!this.keyOk(this.loggedIn.get(node)))
      return {
        status: 401,
        text: `Head "https://${NIM_REGISTRY}/v2/${ref.slice(NIM_REGISTRY.length + 1)}/manifests/latest": unauthorized: authentication required`,
      };
    if (!img)
      return { status: 404, text: `manifest for ${image} not found: manifest unknown: manifest unknown` };
    const lines = [
      `digest sha256:${hex(`${ref}#digest`, 64)}`,
      ...img.layers.map((b, i) => `layer ${hex(`${ref}#${i}`, 12)} ${b}`),
    ];
    return { status: 200, text: `${lines.join('\n')}\n` };
  }

  /** The spec of a NIM container (`docker run -d … -p H:C nvcr.io/nim/…`), undefined for other images. */
  spec(node: string, base: ContainerSpec, ports: string[], restart: string): ContainerSpec | undefined {
    if (!base.image.startsWith(`${NIM_REGISTRY}/nim/`) || ports.length === 0) return undefined;
    const env = new Map(
      (base.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
    );
    const inside = Number(env.get('NIM_HTTP_API_PORT') ?? 9000);
    // Only a mapping onto the port the NIM listens on inside the container reaches it.
    const hostPort = ports
      .map((p) => p.split(':'))
      .find((p) => Number(p.at(-1)) === inside)
      ?.at(-2);
    const kind = IMAGES.find((i) => i.ref === untagged(base.image))?.kind ?? 'other';
    const log = (lines: string[]): void => this.d.log(node, base.name, lines);
    // The handler reads readiness from the container it belongs to, built right after it.
    const ref: { box?: NimContainer } = {};
    const handler =
      kind === 'asr'
        ? nimAsrHandler({
            speed: this.d.speed,
            ready: () => ref.box?.ready ?? false,
            wedged: () => ref.box?.wedged ?? false,
            heard: this.d.heard,
            log,
          })
        : kind === 'tts'
          ? // The same fake as the configured magpie-tts container: a deep check's "hi" synthesizes.
            magpieHandler({
              speed: this.d.speed,
              failing: () => false,
              ready: () => ref.box?.ready ?? false,
              remember: this.d.remember,
              log,
            })
          : genericNimHandler(() => ref.box?.ready ?? false);
    const box = hostPort ? new NimContainer(base.name, kind, handler, Number(hostPort)) : undefined;
    ref.box = box;
    return {
      ...base,
      ports: ports.join(','),
      restartPolicy: restart || 'no',
      gpu: { process: 'tritonserver', mib: () => 2900 },
      stopDelayMs: 900,
      onStart: async () => {
        if (box) this.running.set(base.name, box);
        await this.started(node, base, env, box, log);
      },
      onStop: async () => {
        // As with Parakeet's wedge, a restart is the cure: the fault reads off afterwards.
        if (kind === 'asr') this.asrWedge = false;
        box?.bump();
        await box?.listener.set(false);
      },
    };
  }

  private async started(
    node: string,
    spec: ContainerSpec,
    env: Map<string, string>,
    box: NimContainer | undefined,
    log: (lines: string[]) => void,
  ): Promise<void> {
    log([
      '===========================',
      '== NVIDIA Inference Microservice ==',
      '===========================',
    ]);
    if (!box) return;
    const gen = box.bump();
    try {
      await box.listener.set(true);
    } catch (err) {
      log([`ERROR: could not bind 0.0.0.0:${box.listener.port}: ${String(err)}`]);
      return;
    }
    log([
      `INFO: Uvicorn running on http://0.0.0.0:${env.get('NIM_HTTP_API_PORT') ?? 9000} (Press CTRL+C to quit)`,
    ]);
    const owner = this.cacheOwner(node, spec.binds ?? []);
    if (owner !== null && owner !== '1000') {
      log([`PermissionError: [Errno 13] Permission denied: '${CACHE}/ngc/hub'`]);
      return;
    }
    if (!this.keyOk(env.get('NGC_API_KEY'))) {
      log([
        'ERROR: Model download failed: NGC API key is missing or invalid (401 Unauthorized). Set NGC_API_KEY.',
      ]);
      return;
    }
    log(['INFO: Downloading model profile for GB10 …']);
    setTimeout(
      () => {
        if (!box.current(gen)) return;
        box.ready = true;
        log(['INFO: Model loaded; service ready']);
      },
      LOAD_S * 1000 * this.d.speed,
    ).unref();
  }

  /** `nim-asr-wedge`: every installed ASR NIM serving now wedges (on) or heals (off). */
  wedgeAsr(on: boolean): void {
    this.asrWedge = on;
    for (const c of this.running.values()) if (c.kind === 'asr' && c.ready) c.wedged = on;
  }

  /** Whether the fault is on: switched on and no ASR NIM restarted since, or one still wedged. */
  get asrWedged(): boolean {
    return this.asrWedge || [...this.running.values()].some((c) => c.wedged);
  }

  /** The uid owning the cache mount's source per state/volume-owners; null when there is no mount (the image's own dir). */
  private cacheOwner(node: string, binds: readonly string[]): string | null {
    const src = binds.map((b) => b.split(':')).find((p) => p[1] === CACHE)?.[0];
    if (src === undefined) return null;
    let owner = '0';
    try {
      for (const line of readFileSync(join(this.d.stateDir(node), 'volume-owners'), 'utf8').split('\n')) {
        const [s, o] = line.split('\t');
        if (s === src && o) owner = o.split(':')[0] ?? '0';
      }
    } catch {
      // never chowned: docker created it root-owned
    }
    return owner;
  }

  snapshot(): Record<string, unknown> {
    return {
      bad_key: this.badKey,
      logged_in: [...this.loggedIn.keys()],
      containers: [...this.running.values()].map((c) => ({
        name: c.name,
        port: c.listener.port,
        listening: c.listener.listening,
        ready: c.ready,
      })),
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.values()].map((c) => c.listener.close()));
  }
}

/** NIMs the simulator has no fake API for: health and an empty model list only. */
function genericNimHandler(ready: () => boolean): HttpHandler {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    await Promise.resolve();
    if (path === '/v1/health/live') return sendJson(res, 200, { status: 'live' });
    if (path === '/v1/health/ready')
      return sendJson(res, ready() ? 200 : 503, { status: ready() ? 'ready' : 'not ready' });
    if (path === '/v1/models') return sendJson(res, 200, { object: 'list', data: [] });
    sendJson(res, 404, { error: 'Not Found' });
  };
}
