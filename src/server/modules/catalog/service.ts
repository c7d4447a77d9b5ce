// The model catalog: bundled entries (assets/models.yaml) merged with the owner's knobs and custom
// entries from the database. Changes take effect on the next swap; a running swap holds a
// `snapshot()` and is not affected by them.
import type { CatalogModel, Knobs } from '../../../common/api.js';
import type { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import type { Db } from '../../platform/store/db.js';
import { DEFAULT_BUNDLED_PATH, loadCatalogFile } from './catalog-file.js';
import { checkEntry, isValidKey, KEY_PATTERN, type CatalogEntry } from './entry.js';
import { changedKnobs, extractKnobs, validateKnobs } from './knobs.js';
import { resolveEntry, toResolved, type CatalogModelBase, type ResolvedModel } from './resolve.js';
import { CatalogStore, type StoreProblem } from './store.js';

export type Enrichment = Pick<CatalogModel, 'loaded' | 'expected_seconds' | 'warnings'>;

export interface CatalogServiceOptions {
  db: Db;
  /** Defaults to assets/models.yaml; a bad file throws CatalogFileError (start-up fails). */
  bundledPath?: string;
  bus?: EventBus;
  /** Supplied by the swap module: whether the model is loaded, learned ready time, pre-flight warnings. */
  enrich?: (m: CatalogModelBase) => Enrichment;
  /** Told about stored rows that no longer validate (they are skipped, never used). */
  onStoreProblem?: (p: StoreProblem) => void;
}

const defaultEnrich = (m: CatalogModelBase): Enrichment => ({
  loaded: false,
  expected_seconds: m.expected_ready_seconds,
  warnings: [],
});

/** At most this many custom entries (each ≤ 64 args of ≤ 1 KiB): GET /api/models stays small. */
export const MAX_CUSTOM_MODELS = 200;

interface Known {
  entry: CatalogEntry;
  custom: boolean;
}

export class CatalogService {
  private readonly bundled: CatalogEntry[];
  private readonly store: CatalogStore;
  private readonly bus: EventBus | undefined;
  private readonly enrich: (m: CatalogModelBase) => Enrichment;
  private readonly reported = new Set<string>();

  constructor(private readonly opts: CatalogServiceOptions) {
    this.bundled = loadCatalogFile(opts.bundledPath ?? DEFAULT_BUNDLED_PATH);
    this.store = new CatalogStore(opts.db);
    this.bus = opts.bus;
    this.enrich = opts.enrich ?? defaultEnrich;
  }

  list(): CatalogModel[] {
    const knobs = this.knobs();
    return this.entries().map((k) => this.toModel(k, knobs.get(k.entry.key) ?? {}));
  }

  get(key: string): CatalogModel {
    const k = this.find(key);
    return this.toModel(k, this.knobs().get(key) ?? {});
  }

  /** The immutable resolved entry a swap runs with. */
  snapshot(key: string): ResolvedModel {
    const k = this.find(key);
    return toResolved(resolveEntry(k.entry, k.custom, this.knobs().get(key) ?? {}));
  }

  /** The catalog key whose model vLLM lists under `servedName`, if any. */
  keyForServedModel(servedName: string): string | null {
    const knobs = this.knobs();
    const hit = this.entries().find(
      (k) => resolveEntry(k.entry, k.custom, knobs.get(k.entry.key) ?? {}).served_model_name === servedName,
    );
    return hit?.entry.key ?? null;
  }

  /** Adds a custom entry (HF repo or local path). Input is validated before anything else. */
  add(input: unknown): CatalogModel {
    const entry = this.validateCustom(input);
    // Bounded so listing the catalog stays small and fast for every client (issue 7).
    if (this.store.customCount() >= MAX_CUSTOM_MODELS) {
      throw new AppError(
        'CONFLICT',
        `The custom catalog is full (${MAX_CUSTOM_MODELS} models); delete a custom model before adding another.`,
      );
    }
    if (this.bundled.some((e) => e.key === entry.key) || !this.store.addCustom(entry)) {
      throw new AppError('CONFLICT', `A model with the key "${entry.key}" is already in the catalog.`, {
        details: { field: 'key' },
      });
    }
    this.changed();
    return this.get(entry.key);
  }

  /** Removes a custom entry. Bundled entries ship with Spark Control and cannot be removed. */
  remove(key: string): void {
    const k = this.find(key);
    if (!k.custom) {
      throw new AppError(
        'CONFLICT',
        `"${key}" is a bundled model and cannot be deleted; only custom models can. ` +
          'Its knobs can still be changed.',
      );
    }
    this.store.removeCustom(key);
    this.changed();
  }

  /**
   * Merges `input` (partial knobs) into the stored ones. A value equal to what the entry's own
   * args give is dropped rather than stored, so sending the defaults back resets a knob.
   */
  setKnobs(key: string, input: unknown): CatalogModel {
    const patch = validateKnobs(input);
    const k = this.find(key);
    const merged: Partial<Knobs> = { ...(this.knobs().get(key) ?? {}), ...patch };
    this.store.setKnobs(key, changedKnobs(merged, extractKnobs(k.entry.vllm_args)));
    this.changed();
    return this.get(key);
  }

  private validateCustom(input: unknown): CatalogEntry {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new AppError('INVALID_INPUT', 'The model must be a JSON object.');
    }
    const { key, ...fields } = input as Record<string, unknown>;
    if (!isValidKey(key)) {
      throw new AppError(
        'INVALID_INPUT',
        `key must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit (${KEY_PATTERN})`,
        { details: { field: 'key' } },
      );
    }
    const r = checkEntry(key, fields, 'model');
    if (!r.entry) {
      throw new AppError('INVALID_INPUT', r.problems.join('; '), { details: { problems: r.problems } });
    }
    return r.entry;
  }

  private entries(): Known[] {
    const problems: StoreProblem[] = [];
    const bundledKeys = new Set(this.bundled.map((e) => e.key));
    // A later release may bundle a key someone already used for a custom entry: the bundled one wins.
    const custom = this.store.customEntries(problems).filter((e) => !bundledKeys.has(e.key));
    this.report(problems);
    return [
      ...this.bundled.map((entry) => ({ entry, custom: false })),
      ...custom.map((entry) => ({ entry, custom: true })),
    ];
  }

  private knobs(): Map<string, Partial<Knobs>> {
    const problems: StoreProblem[] = [];
    const map = this.store.knobs(problems);
    this.report(problems);
    return map;
  }

  private find(key: string): Known {
    const k = this.entries().find((x) => x.entry.key === key);
    if (!k) throw new AppError('NOT_FOUND', `No model "${key}" in the catalog.`);
    return k;
  }

  private toModel(k: Known, knobs: Partial<Knobs>): CatalogModel {
    const base = resolveEntry(k.entry, k.custom, knobs);
    return { ...base, ...this.enrich(base) };
  }

  /** Each bad stored row is reported once per process, not on every list(). */
  private report(problems: StoreProblem[]): void {
    for (const p of problems) {
      const id = `${p.key}\n${p.problem}`;
      if (this.reported.has(id)) continue;
      this.reported.add(id);
      this.opts.onStoreProblem?.(p);
    }
  }

  private changed(): void {
    this.bus?.publish('models', { changed: true });
  }
}
