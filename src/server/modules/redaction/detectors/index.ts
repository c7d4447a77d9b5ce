// Every detector the scrub runs, built from config: the built-in types plus custom patterns.
import type { Detector } from '../engine/types.js';
import { customPatternDetector, type CustomPattern } from './custom-pattern.js';

export interface DetectorOptions {
  /** Person names to find (config redaction.names plus the names file's lines). */
  names: readonly string[];
  patterns: readonly CustomPattern[];
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export function buildDetectors(opts: DetectorOptions): Detector[] {
  return [
    {
      type: 'EMAIL',
      priority: 50,
      detect: (text) =>
        [...text.matchAll(EMAIL)].map((m) => ({ start: m.index, end: m.index + m[0].length })),
    },
    ...opts.patterns.map((p) => customPatternDetector(p)),
  ];
}
