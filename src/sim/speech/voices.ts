// Magpie TTS Multilingual's voice catalog as the NIM lists it: names
// `Magpie-Multilingual.<LOCALE>.<Speaker>[.<Emotion>]` (the bare name is the speaker's default
// style), all under one key of comma-joined locales. Speakers and emotions follow NVIDIA's voice
// docs (Aria, Jason, Leo, Mia, Sofia, Ray; Diego and Isabela; Pascal and Louise; Siwei and HouZhen;
// Long; emotions Neutral, Calm, Angry, Happy, Sad, Fearful, Disgust, PleasantSurprised).

/** The list_voices key: the locales this build serves, comma-joined. */
export const MAGPIE_LOCALES = [
  'en-US',
  'es-US',
  'fr-FR',
  'de-DE',
  'zh-CN',
  'vi-VN',
  'it-IT',
  'hi-IN',
  'ja-JP',
];

const SPEAKERS: Record<string, Record<string, string[]>> = {
  'EN-US': {
    Aria: ['Neutral', 'Calm', 'Angry', 'Happy', 'Sad', 'Fearful'],
    Jason: ['Neutral', 'Calm', 'Angry', 'Happy'],
    Leo: ['Neutral', 'Calm', 'Angry', 'Sad', 'Fearful'],
    Mia: ['Neutral', 'Calm', 'Angry', 'Happy', 'Sad'],
    Sofia: ['Neutral', 'Calm', 'Happy', 'PleasantSurprised'],
    Ray: [],
  },
  'ES-US': { Diego: ['Neutral', 'Calm', 'Happy', 'Sad'], Isabela: ['Neutral', 'Calm', 'Happy'] },
  'FR-FR': { Pascal: ['Neutral', 'Calm', 'Happy', 'Sad'], Louise: ['Neutral', 'Calm', 'Angry'] },
  'DE-DE': {
    Aria: ['Neutral', 'Calm', 'Angry', 'Happy', 'Sad', 'Fearful', 'Disgust'],
    Jason: ['Neutral', 'Calm', 'Angry', 'Happy'],
    Leo: ['Neutral', 'Calm', 'Sad'],
  },
  'ZH-CN': { Siwei: ['Neutral', 'Calm'], HouZhen: ['Neutral', 'Happy'] },
  'VI-VN': { Long: ['Neutral', 'Calm', 'Sad', 'Fearful'] },
  'IT-IT': { Aria: ['Neutral'], Leo: ['Neutral'] },
  'HI-IN': { Aria: [], Jason: [] },
  'JA-JP': { Sofia: [], Leo: [] },
};

export const MAGPIE_VOICES: string[] = Object.entries(SPEAKERS).flatMap(([locale, speakers]) =>
  Object.entries(speakers).flatMap(([speaker, emotions]) => {
    const base = `Magpie-Multilingual.${locale}.${speaker}`;
    return [base, ...emotions.map((e) => `${base}.${e}`)];
  }),
);

/** GET /v1/audio/list_voices, NVIDIA's shape. */
export function listVoices(): Record<string, { voices: string[] }> {
  return { [MAGPIE_LOCALES.join(',')]: { voices: MAGPIE_VOICES } };
}

/** The locale a served language code names (`en-us` → `en-US`), or undefined. */
export function servedLocale(language: string): string | undefined {
  return MAGPIE_LOCALES.find((l) => l.toLowerCase() === language.toLowerCase());
}

/** The default voice for a locale: its first speaker's default style. */
export function defaultVoice(locale: string): string {
  const upper = locale.toUpperCase();
  return MAGPIE_VOICES.find((v) => v.split('.')[1] === upper) ?? 'Magpie-Multilingual.EN-US.Aria';
}
