// The speech loopback (SPEC §8): Magpie speaks a fixed phrase, Parakeet transcribes the audio
// (held in memory, never on disk), and the words heard are compared with the words spoken. An
// end-to-end check of both services; it reports, it never restarts anything.
import type { LoopbackResult } from '../../../common/services-api.js';
import { LOOPBACK_PASS, wordOverlap } from './overlap.js';
import {
  call,
  connectionError,
  ProbeTimeout,
  synthesizeProbeForm,
  transcriptionForm,
  type ProbeTarget,
} from './probes.js';
import type { DeepHealthStore } from './store.js';

export const LOOPBACK_PHRASE = 'The quick brown fox jumps over the lazy dog';
/** Magpie's answer for the phrase is a few hundred KiB of WAV; anything past this is not it. */
const AUDIO_LIMIT = 16 * 1024 * 1024;

export class Loopback {
  private current: LoopbackResult | null;
  private inflight: Promise<LoopbackResult> | null = null;

  constructor(
    private readonly o: {
      asr: ProbeTarget | null;
      tts: ProbeTarget | null;
      store: DeepHealthStore;
      timeoutMs: number;
    },
  ) {
    this.current = o.store.loopback();
  }

  last(): LoopbackResult | null {
    return this.current;
  }

  /** Runs the loopback (joining one already running). Never rejects. */
  run(): Promise<LoopbackResult> {
    this.inflight ??= this.once().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async once(): Promise<LoopbackResult> {
    const started = performance.now();
    const r = await this.attempt();
    const result: LoopbackResult = {
      phrase: LOOPBACK_PHRASE,
      at: new Date().toISOString(),
      latency_ms: r.error === null ? Math.round(performance.now() - started) : null,
      ...r,
    };
    this.current = result;
    this.o.store.saveLoopback(result);
    return result;
  }

  private async attempt(): Promise<Pick<LoopbackResult, 'ok' | 'heard' | 'overlap' | 'error'>> {
    const fail = (error: string) => ({ ok: false, heard: null, overlap: null, error });
    const tts = this.o.tts?.baseUrl() ?? null;
    const asr = this.o.asr?.baseUrl() ?? null;
    if (!tts || !asr) return fail('the loopback needs a TTS and an ASR service in the config');
    const opts = { timeoutMs: this.o.timeoutMs };
    let step = 'Magpie';
    try {
      const spoken = await call(
        `${tts}/v1/audio/synthesize`,
        { method: 'POST', body: synthesizeProbeForm(LOOPBACK_PHRASE) },
        { ...opts, limit: AUDIO_LIMIT },
      );
      if (spoken.status !== 200)
        return fail(`Magpie answered HTTP ${spoken.status}: ${excerpt(spoken.body)}`);
      step = 'Parakeet';
      const heardAnswer = await call(
        `${asr}/v1/audio/transcriptions`,
        { method: 'POST', body: transcriptionForm(spoken.body, 'loopback.wav', this.o.asr?.language) },
        opts,
      );
      if (heardAnswer.status !== 200)
        return fail(`Parakeet answered HTTP ${heardAnswer.status}: ${excerpt(heardAnswer.body)}`);
      const heard = textOf(heardAnswer.body);
      if (heard === null) return fail(`Parakeet's answer has no text: ${excerpt(heardAnswer.body)}`);
      const overlap = Math.round(wordOverlap(LOOPBACK_PHRASE, heard) * 1000) / 1000;
      const ok = overlap >= LOOPBACK_PASS;
      return {
        ok,
        heard,
        overlap,
        error: ok ? null : `only ${Math.round(overlap * 100)} % of the words came back`,
      };
    } catch (e) {
      return fail(`${step}: ${e instanceof ProbeTimeout ? e.message : connectionError(e)}`);
    }
  }
}

const excerpt = (b: Buffer) => b.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);

function textOf(body: Buffer): string | null {
  try {
    const j = JSON.parse(body.toString('utf8')) as { text?: unknown };
    return typeof j.text === 'string' ? j.text : null;
  } catch {
    return null;
  }
}
