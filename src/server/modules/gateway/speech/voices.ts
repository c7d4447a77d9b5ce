// OpenAI's voice names on Magpie's voices. Clients that only know OpenAI (`alloy` is every SDK's
// example) get a Magpie speaker; gateway.voice_map changes any of them. Magpie's own names work too.
import { AppError } from '../../../platform/http/errors.js';
import { languageOf } from '../magpie.js';

/** The id the gateway answers for Magpie in model lists (the NIM's name). */
export const TTS_MODEL_ID = 'magpie-tts-multilingual';

/** OpenAI's voices, each on the EN-US speaker (and style) closest in character. */
export const DEFAULT_VOICE_MAP: Readonly<Record<string, string>> = {
  alloy: 'Magpie-Multilingual.EN-US.Aria',
  echo: 'Magpie-Multilingual.EN-US.Jason',
  fable: 'Magpie-Multilingual.EN-US.Leo',
  onyx: 'Magpie-Multilingual.EN-US.Ray',
  nova: 'Magpie-Multilingual.EN-US.Mia',
  shimmer: 'Magpie-Multilingual.EN-US.Sofia',
  coral: 'Magpie-Multilingual.EN-US.Mia.Happy',
  sage: 'Magpie-Multilingual.EN-US.Aria.Calm',
  ash: 'Magpie-Multilingual.EN-US.Jason.Calm',
  ballad: 'Magpie-Multilingual.EN-US.Leo.Calm',
  verse: 'Magpie-Multilingual.EN-US.Sofia.Happy',
};

/** The shipped map with the configured entries over it (a configured alias may also be new). */
export const voiceMap = (configured: Record<string, string> = {}): Record<string, string> => ({
  ...DEFAULT_VOICE_MAP,
  ...configured,
});

export interface ResolvedVoice {
  /** The Magpie voice sent to synthesize. */
  voice: string;
  language: string;
}

const unknownVoice = (voice: string, example: string | undefined) =>
  new AppError(
    'BAD_REQUEST',
    `Unknown voice "${voice}". GET /v1/audio/voices lists the voices: OpenAI's names ` +
      `(alloy, echo, …) and Magpie's own${example ? `, e.g. "${example}"` : ''}.`,
  );

/**
 * The Magpie voice for `requested`: an alias through the map, else the name itself. `known` is
 * Magpie's list (null when it could not be fetched: the name is then sent as it is). A mapped voice
 * this Magpie lacks falls back to its speaker's default style (`…Aria.Calm` → `…Aria`).
 */
export function resolveVoice(
  requested: string,
  map: Record<string, string>,
  known: readonly string[] | null,
): ResolvedVoice {
  const alias = Object.hasOwn(map, requested) ? map[requested] : undefined;
  let voice = alias ?? requested;
  if (known && !known.includes(voice)) {
    const speaker = voice.split('.').slice(0, 3).join('.');
    if (!alias || !known.includes(speaker)) {
      if (alias) {
        throw new AppError(
          'BAD_REQUEST',
          `Voice "${requested}" maps to "${alias}", which this Magpie does not serve: set ` +
            `gateway.voice_map.${requested} to one of the voices GET /v1/audio/voices lists.`,
        );
      }
      throw unknownVoice(requested, known[0]);
    }
    voice = speaker;
  }
  const language = languageOf(voice);
  if (!language) throw unknownVoice(requested, known?.[0]);
  return { voice, language };
}

export interface VoiceEntry {
  id: string;
  name: string;
  language: string | null;
}

/**
 * GET /v1/audio/voices in the shape Open WebUI reads: the OpenAI aliases first (what they play
 * in parentheses), then every Magpie voice by speaker and style.
 */
export function voiceEntries(known: readonly string[], map: Record<string, string>): VoiceEntry[] {
  const aliases = Object.entries(map).map(([id, to]) => ({
    id,
    name: `${id}: ${readable(to)}`,
    language: languageOf(to),
  }));
  const own = known.map((id) => ({ id, name: readable(id), language: languageOf(id) }));
  return [...aliases, ...own];
}

/** `Magpie-Multilingual.EN-US.Aria.Calm` → `Aria Calm (EN-US)`. */
function readable(voice: string): string {
  const [, locale, ...rest] = voice.split('.');
  return rest.length ? `${rest.join(' ')} (${locale ?? ''})` : voice;
}
