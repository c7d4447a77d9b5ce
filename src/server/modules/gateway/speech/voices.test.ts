import { describe, expect, it } from 'vitest';
import { caughtAppError } from '../../../../../test/helpers/unit.js';
import { DEFAULT_VOICE_MAP, resolveVoice, voiceEntries, voiceMap } from './voices.js';

const KNOWN = [
  'Magpie-Multilingual.EN-US.Aria',
  'Magpie-Multilingual.EN-US.Aria.Calm',
  'Magpie-Multilingual.EN-US.Jason',
  'Magpie-Multilingual.DE-DE.Leo',
];
const OPENAI = [
  'alloy',
  'echo',
  'fable',
  'onyx',
  'nova',
  'shimmer',
  'coral',
  'sage',
  'ash',
  'ballad',
  'verse',
];

const failure = (fn: () => unknown): string => caughtAppError(fn).message;

describe('OpenAI voice names', () => {
  it('ships a Magpie voice for every OpenAI voice', () => {
    expect(Object.keys(DEFAULT_VOICE_MAP).sort()).toEqual([...OPENAI].sort());
    for (const v of Object.values(DEFAULT_VOICE_MAP)) expect(v).toMatch(/^Magpie-Multilingual\.EN-US\./);
  });

  it('maps aliases, passes Magpie names, and lets config override or add names', () => {
    const map = voiceMap({
      alloy: 'Magpie-Multilingual.DE-DE.Leo',
      narrator: 'Magpie-Multilingual.EN-US.Jason',
    });
    expect(resolveVoice('alloy', map, KNOWN)).toEqual({
      voice: 'Magpie-Multilingual.DE-DE.Leo',
      language: 'de-DE',
    });
    expect(resolveVoice('narrator', map, KNOWN).voice).toBe('Magpie-Multilingual.EN-US.Jason');
    expect(resolveVoice('echo', map, KNOWN)).toEqual({
      voice: 'Magpie-Multilingual.EN-US.Jason',
      language: 'en-US',
    });
    expect(resolveVoice('Magpie-Multilingual.EN-US.Aria.Calm', map, KNOWN).voice).toBe(
      'Magpie-Multilingual.EN-US.Aria.Calm',
    );
  });

  it("falls back to the speaker's default style when a mapped style is missing", () => {
    const map = voiceMap({ sage: 'Magpie-Multilingual.EN-US.Jason.Whisper' });
    expect(resolveVoice('sage', map, KNOWN).voice).toBe('Magpie-Multilingual.EN-US.Jason');
  });

  it('refuses unknown voices with where to list them, and aliases mapped to nothing served', () => {
    expect(failure(() => resolveVoice('nobody', voiceMap(), KNOWN))).toContain('GET /v1/audio/voices');
    const m = failure(() => resolveVoice('onyx', voiceMap(), KNOWN));
    expect(m).toContain('gateway.voice_map.onyx');
    // Magpie's list unavailable: a Magpie-shaped name is tried, a bare word cannot be.
    expect(resolveVoice('onyx', voiceMap(), null).voice).toBe(DEFAULT_VOICE_MAP.onyx);
    expect(failure(() => resolveVoice('nobody', voiceMap(), null))).toContain('Unknown voice "nobody"');
    // An inherited property name is not an alias.
    expect(failure(() => resolveVoice('toString', voiceMap(), KNOWN))).toContain('Unknown voice');
  });

  it('lists aliases first, then every Magpie voice, in the Open WebUI shape', () => {
    const list = voiceEntries(KNOWN, voiceMap());
    expect(list.slice(0, OPENAI.length).map((v) => v.id)).toEqual(OPENAI);
    expect(list[0]).toEqual({ id: 'alloy', name: 'alloy: Aria (EN-US)', language: 'en-US' });
    expect(list.at(-1)).toEqual({
      id: 'Magpie-Multilingual.DE-DE.Leo',
      name: 'Leo (DE-DE)',
      language: 'de-DE',
    });
    expect(list.find((v) => v.id.endsWith('Aria.Calm'))?.name).toBe('Aria Calm (EN-US)');
  });
});
