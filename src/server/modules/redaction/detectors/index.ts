// Every detector the scrub runs, built from config: the built-in types plus custom patterns.
//
// Priorities decide a tie on length between overlapping finds (the longer find always wins,
// engine/scrub.ts). Most specific and most damaging first:
//   SECRET 90 > URL 80 (credentials) > CARD 70 > IBAN 65 > EMAIL 60 > IP 50 > PHONE 40 > PERSON 30
//   > custom patterns 20 (a site's own pattern should not split a built-in find of equal length).
import type { Detector } from '../engine/types.js';
import { cardDetector } from './card.js';
import { customPatternDetector, type CustomPattern } from './custom-pattern.js';
import { emailDetector } from './email.js';
import { ibanDetector } from './iban.js';
import { ipDetector } from './ip.js';
import { personDetector } from './person.js';
import { phoneDetector } from './phone.js';
import { secretDetector } from './secret.js';
import { urlDetector } from './url-credentials.js';

export { parseNamesFile } from './person.js';

export interface DetectorOptions {
  /** Person names to find (config redaction.names plus the names file's lines). */
  names: readonly string[];
  patterns: readonly CustomPattern[];
  /** Region for phone numbers written without a country code, e.g. 'US' (none: only `+…`). */
  defaultRegion?: string;
  /** Only these entity types (built-in or custom names); all when absent. */
  entities?: readonly string[];
  /** Time limit per custom pattern per text (ms). */
  customPatternTimeoutMs?: number;
}

export const PRIORITY = {
  SECRET: 90,
  URL: 80,
  CARD: 70,
  IBAN: 65,
  EMAIL: 60,
  IP: 50,
  PHONE: 40,
  PERSON: 30,
  CUSTOM: 20,
} as const;

export function buildDetectors(opts: DetectorOptions): Detector[] {
  const all: Detector[] = [
    secretDetector(PRIORITY.SECRET),
    urlDetector(PRIORITY.URL),
    cardDetector(PRIORITY.CARD),
    ibanDetector(PRIORITY.IBAN),
    emailDetector(PRIORITY.EMAIL),
    ipDetector(PRIORITY.IP),
    phoneDetector({ defaultRegion: opts.defaultRegion }, PRIORITY.PHONE),
    ...(opts.names.length > 0 ? [personDetector(opts.names, PRIORITY.PERSON)] : []),
    ...opts.patterns.map((p) =>
      customPatternDetector(p, { priority: PRIORITY.CUSTOM, timeoutMs: opts.customPatternTimeoutMs }),
    ),
  ];
  const wanted = opts.entities ? new Set(opts.entities) : null;
  return wanted ? all.filter((d) => wanted.has(d.type)) : all;
}
