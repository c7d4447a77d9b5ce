// The speech services of the simulated cluster: the fake Parakeet and Magpie HTTP servers, bound
// to their containers on the speech node. A service answers only while its container runs and its
// node is up (otherwise connection refused); after a (re)start it loads its model first — Parakeet
// (uvicorn) binds only once loaded, the Magpie NIM listens at once but is not ready until loaded.
import { createHash } from 'node:crypto';
import type { ContainerSpec } from '../containers.js';
import { type HttpHandler, ToggleListener } from '../http-listener.js';
import { speechLog, speechSpecs } from '../services.js';
import { magpieHandler } from './magpie.js';
import { nimAsrHandler } from './nim-asr.js';
import { parakeetHandler } from './parakeet.js';

export interface SpeechEndpoint {
  url: string;
  port: number;
  /** The node whose container serves it. */
  node: string;
  container: string;
  /** Parakeet only: the seed's app or NVIDIA's ASR NIM. */
  api?: 'parakeet-app' | 'nim';
}

export interface SpeechOptions {
  speed: number;
  /** The node running parakeet-asr and magpie-tts (the second node, or the only one). */
  node: string;
  /** Appends lines to a container's stdout log on the speech node. */
  log: (container: string, lines: string[]) => void;
  /** Parakeet as the seed's custom app (default) or as NVIDIA's ASR NIM. */
  parakeetApi?: 'parakeet-app' | 'nim';
}

type Kind = 'parakeet' | 'magpie';

/** Model load after a (re)start, in seconds at speed 1. */
const LOAD_S: Record<Kind, number> = { parakeet: 12, magpie: 20 };
/** parakeetFlap: how long after a restart's load the wedge comes back, in seconds at speed 1. */
export const FLAP_S = 3;
const MEMORY = 64;

class Service {
  readonly listener: ToggleListener;
  /** Running containers of this service's image (normally just its own). */
  readonly running = new Set<string>();
  loaded = false;
  fault = false;
  /** Parakeet only: the wedge comes back FLAP_S after every restart (restart-storm tests). */
  flap = false;
  private gen = 0;

  constructor(
    readonly kind: Kind,
    readonly container: string,
    readonly image: string,
    handler: HttpHandler,
    private readonly host: SpeechServices,
  ) {
    this.listener = new ToggleListener(handler);
  }

  get logTo(): string {
    return this.running.has(this.container) ? this.container : ([...this.running][0] ?? this.container);
  }

  sync(): Promise<void> {
    // uvicorn in the Parakeet app binds once loaded; a NIM listens at once and answers 503 until ready.
    const nim = this.kind === 'magpie' || this.host.opts.parakeetApi === 'nim';
    const up = this.running.size > 0 && this.host.nodeUp && (nim || this.loaded);
    return this.listener.set(up);
  }

  started(name: string, speed: number): Promise<void> {
    this.running.add(name);
    this.loaded = false;
    if (this.kind === 'parakeet') this.fault = false; // a restart clears the CUDA wedge
    const gen = ++this.gen;
    setTimeout(
      () => {
        if (gen !== this.gen || this.running.size === 0) return;
        this.loaded = true;
        this.host.opts.log(name, speechLog(this.container, this.host.opts.parakeetApi));
        this.sync().catch(() => {}); // the listener has already warned
        if (this.flap) this.wedgeAgain(gen, speed);
      },
      LOAD_S[this.kind] * 1000 * speed,
    ).unref();
    return this.sync();
  }

  /** The flapping wedge: back a little after the load, unless the container restarted again since. */
  private wedgeAgain(gen: number, speed: number): void {
    setTimeout(
      () => {
        if (gen === this.gen && this.flap && this.running.size > 0) this.fault = true;
      },
      FLAP_S * 1000 * speed,
    ).unref();
  }

  stopped(name: string): Promise<void> {
    this.running.delete(name);
    if (this.running.size === 0) {
      this.gen += 1;
      this.loaded = false;
    }
    return this.sync();
  }
}

const pcmKey = (pcm: Buffer): string => createHash('sha1').update(pcm).digest('hex');

export class SpeechServices {
  nodeUp = true;
  readonly parakeet: Service;
  readonly magpie: Service;
  /** PCM hash → text Magpie spoke, so Parakeet can transcribe it back (bounded, oldest dropped). */
  private readonly memory = new Map<string, string>();

  constructor(readonly opts: SpeechOptions) {
    const [p, m] = speechSpecs(opts.parakeetApi);
    const h = this.handlers(); // closures: they read the services only when requests come in
    this.parakeet = new Service('parakeet', p?.name ?? 'parakeet-asr', p?.image ?? '', h.parakeet, this);
    this.magpie = new Service('magpie', m?.name ?? 'magpie-tts', m?.image ?? '', h.magpie, this);
  }

  private handlers(): { parakeet: HttpHandler; magpie: HttpHandler } {
    return {
      parakeet:
        this.opts.parakeetApi === 'nim'
          ? nimAsrHandler({
              speed: this.opts.speed,
              ready: () => this.parakeet.loaded,
              wedged: () => this.parakeet.fault,
              heard: (pcm) => this.heard(pcm),
              log: (lines) => this.opts.log(this.parakeet.logTo, lines),
            })
          : parakeetHandler({
              speed: this.opts.speed,
              wedged: () => this.parakeet.fault,
              heard: (pcm) => this.heard(pcm),
              log: (lines) => this.opts.log(this.parakeet.logTo, lines),
            }),
      magpie: magpieHandler({
        speed: this.opts.speed,
        failing: () => this.magpie.fault,
        ready: () => this.magpie.loaded,
        remember: (pcm, text) => this.remember(pcm, text),
        log: (lines) => this.opts.log(this.magpie.logTo, lines),
      }),
    };
  }

  /** Notes what speech the PCM bytes say (a Magpie spoke them), for a simulated Parakeet to hear. */
  remember(pcm: Buffer, text: string): void {
    this.memory.set(pcmKey(pcm), text);
    for (const k of this.memory.keys()) if (this.memory.size > MEMORY) this.memory.delete(k);
  }

  /** The text of audio the simulated Magpie spoke (keyed by its PCM bytes), if any. */
  heard(pcm: Buffer): string | undefined {
    return this.memory.get(pcmKey(pcm));
  }

  async start(): Promise<ContainerSpec[]> {
    const specs = speechSpecs(this.opts.parakeetApi).map((s) => this.hooked(s, s.name));
    for (const svc of [this.parakeet, this.magpie]) {
      svc.running.add(svc.container);
      svc.loaded = true;
      await svc.sync();
    }
    return specs;
  }

  /** A container spec for `docker run` of a speech image on the speech node (undefined otherwise). */
  specFor(node: string, image: string, name: string): ContainerSpec | undefined {
    if (node !== this.opts.node) return undefined;
    const base = speechSpecs(this.opts.parakeetApi).find(
      (s) => s.image.replace(/:latest$/, '') === image.replace(/:latest$/, ''),
    );
    return base ? this.hooked({ ...base, name }, name) : undefined;
  }

  private hooked(spec: ContainerSpec, name: string): ContainerSpec {
    const svc = spec.image === this.parakeet.image ? this.parakeet : this.magpie;
    return { ...spec, onStart: () => svc.started(name, this.opts.speed), onStop: () => svc.stopped(name) };
  }

  /** The CUDA wedge (Parakeet, cleared by a container restart) or the 500 fault (Magpie). */
  setFault(kind: Kind, on: boolean): void {
    this[kind].fault = on;
  }

  /** Parakeet wedged now and again after every restart (on), or healed and steady (off). */
  setFlap(on: boolean): void {
    this.parakeet.flap = on;
    this.parakeet.fault = on;
  }

  async setNodeUp(node: string, up: boolean): Promise<void> {
    if (node !== this.opts.node) return;
    this.nodeUp = up;
    await Promise.all([this.parakeet.sync(), this.magpie.sync()]);
  }

  endpoints(): { parakeet: SpeechEndpoint; magpie: SpeechEndpoint } {
    const ep = (s: Service): SpeechEndpoint => ({
      url: s.listener.url,
      port: s.listener.port,
      node: this.opts.node,
      container: s.container,
    });
    return {
      parakeet: { ...ep(this.parakeet), api: this.opts.parakeetApi ?? 'parakeet-app' },
      magpie: ep(this.magpie),
    };
  }

  snapshot(): Record<string, unknown> {
    const one = (s: Service): Record<string, unknown> => ({
      ...this.endpoints()[s.kind],
      listening: s.listener.listening,
      loaded: s.loaded,
      [s.kind === 'parakeet' ? 'wedged' : 'failing']: s.fault,
      ...(s.kind === 'parakeet' ? { flapping: s.flap } : {}),
    });
    return { parakeet: one(this.parakeet), magpie: one(this.magpie) };
  }

  async close(): Promise<void> {
    await Promise.all([this.parakeet.listener.close(), this.magpie.listener.close()]);
  }
}
