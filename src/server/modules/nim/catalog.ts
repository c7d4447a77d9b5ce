// The curated NIM catalog (SPEC §7): NVIDIA's speech NIMs the installer offers, with what each
// needs. Images, ports and the NIM_TAGS_SELECTOR values follow NVIDIA's NIM docs; which run on a
// DGX Spark (GB10, arm64) follows the ASR NIM support matrix ("only Parakeet 1.1B CTC English and
// Parakeet 1.1B RNNT Multilingual support DGX Spark as of 1.8.0") and the Magpie TTS NIM's.
import type { NimCatalogEntry } from '../../../common/services-api.js';

/** Every NIM keeps its model cache here inside the container; the installer mounts the volume on it. */
export const NIM_CACHE_DIR = '/opt/nim/.cache';
/** The uid NIM containers run as: the cache must be writable by it. */
export const NIM_UID = 1000;

export const NIM_CATALOG: readonly NimCatalogEntry[] = [
  {
    id: 'parakeet-1-1b-ctc-en-us',
    name: 'Parakeet 1.1B CTC English (ASR NIM)',
    image: 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest',
    port: 9000,
    kind: 'asr',
    volume: '~/.cache/nim',
    env: { NIM_HTTP_API_PORT: '9000', NIM_TAGS_SELECTOR: 'name=parakeet-1-1b-ctc-en-us,mode=ofl' },
    health_path: '/v1/health/ready',
    runs_on_spark: true,
    notes:
      'Speech to text over HTTP: POST /v1/audio/transcriptions answers json or text only and needs a language (en-US); word timestamps are gRPC-only (port 50051), so the gateway cannot derive verbose_json, srt or vtt from it.',
  },
  {
    id: 'parakeet-1-1b-rnnt-multilingual',
    name: 'Parakeet 1.1B RNNT Multilingual (ASR NIM)',
    image: 'nvcr.io/nim/nvidia/parakeet-1-1b-rnnt-multilingual:latest',
    port: 9000,
    kind: 'asr',
    volume: '~/.cache/nim',
    env: { NIM_HTTP_API_PORT: '9000', NIM_TAGS_SELECTOR: 'name=parakeet-1-1b-rnnt-multilingual,mode=ofl' },
    health_path: '/v1/health/ready',
    runs_on_spark: true,
    notes:
      'Multilingual speech to text (language "multi" or a BCP-47 code); same HTTP limits as the English CTC model.',
  },
  {
    id: 'magpie-tts-multilingual',
    name: 'Magpie TTS Multilingual (TTS NIM)',
    image: 'nvcr.io/nim/nvidia/magpie-tts-multilingual:latest',
    port: 9000,
    kind: 'tts',
    volume: '~/.cache/nim',
    env: { NIM_HTTP_API_PORT: '9000', NIM_TAGS_SELECTOR: 'name=magpie-tts-multilingual' },
    health_path: '/v1/health/ready',
    runs_on_spark: true,
    notes:
      'Text to speech: POST /v1/audio/synthesize (multipart), voices at /v1/audio/list_voices. Only one service can own port 9000 on a node: give a second NIM another port.',
  },
  {
    id: 'parakeet-0-6b-ctc-en-us',
    name: 'Parakeet 0.6B CTC English (Riva ASR NIM)',
    image: 'nvcr.io/nim/nvidia/parakeet-0-6b-ctc-en-us:latest',
    port: 9000,
    kind: 'asr',
    volume: '~/.cache/nim',
    env: { NIM_HTTP_API_PORT: '9000', NIM_TAGS_SELECTOR: 'name=parakeet-0-6b-ctc-en-us,mode=all' },
    health_path: '/v1/health/ready',
    runs_on_spark: false,
    notes:
      'x86_64 data-center GPUs only: no DGX Spark (arm64/GB10) profile, so it will not start on a Spark.',
  },
  {
    id: 'riva-translate-1_6b',
    name: 'Riva Translate 1.6B (NMT NIM)',
    image: 'nvcr.io/nim/nvidia/riva-translate-1_6b:latest',
    port: 9000,
    kind: 'nim',
    volume: '~/.cache/nim',
    env: { NIM_HTTP_API_PORT: '9000' },
    health_path: '/v1/health/ready',
    runs_on_spark: false,
    notes: 'Text translation. Not listed for DGX Spark: expect no prebuilt GB10 profile.',
  },
];

/** The catalog entry an image reference belongs to (tag ignored), if any. */
export function catalogEntryFor(image: string): NimCatalogEntry | undefined {
  const base = (ref: string) => ref.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
  return NIM_CATALOG.find((e) => base(e.image) === base(image));
}
