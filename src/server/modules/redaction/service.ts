// The redaction service: /scrub, /rehydrate and the task views over the vault. Fail-closed: when a
// detector throws, the scrub fails as a whole (REDACTION_FAILED) — its transaction rolls back and
// no text, scrubbed or not, is returned. Values never leave here except through rehydration.
import { randomBytes } from 'node:crypto';
import type {
  RedactionTaskView,
  RehydrateRequest,
  RehydrateResponse,
  ScrubRequest,
  ScrubResponse,
} from '../../../common/redaction-api.js';
import { AppError } from '../../platform/http/errors.js';
import { buildDetectors, type DetectorOptions } from './detectors/index.js';
import { scrubChatRequest } from './engine/chat-body.js';
import { rehydrateText } from './engine/rehydrate.js';
import { scrubText } from './engine/scrub.js';
import type { TaskMap } from './engine/task-map.js';
import { BUILTIN_ENTITY_TYPES, type Detector, type EntityFound } from './engine/types.js';
import type { VaultStore } from './vault/store.js';

export interface RedactionServiceOptions {
  store: VaultStore;
  /** Names (config + names file) and custom patterns. */
  detectors: DetectorOptions;
  /** redaction.default_region: phones without a country code, when the request names no language. */
  defaultRegion: string | null;
  log: { warn(obj: object, msg: string): void };
  /** The detectors' factory; tests pass one whose detector throws. */
  build?: typeof buildDetectors;
}

/** A new task's id: `red_` and 16 random hex digits (matches TASK_ID_PATTERN). */
export const newTaskId = () => `red_${randomBytes(8).toString('hex')}`;

/** `language` → a phone region: `de-CH`/`de_CH` → CH, `US` → US; null when it names none. */
export function regionOf(language: string | undefined): string | null {
  if (!language) return null;
  const parts = language.split(/[-_]/);
  const region = parts.length > 1 ? parts.find((p, i) => i > 0 && /^[A-Za-z]{2}$/.test(p)) : parts[0];
  return region && /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : null;
}

/** What scrubbing many texts of one request gives: the task, its table (for the answer) and the counts. */
export interface ScrubSession {
  taskId: string;
  table: TaskMap;
  found: EntityFound[];
}

export class RedactionService {
  private readonly byRegion = new Map<string, Detector[]>();
  private readonly knownTypes: Set<string>;

  constructor(private readonly o: RedactionServiceOptions) {
    this.knownTypes = new Set([...BUILTIN_ENTITY_TYPES, ...o.detectors.patterns.map((p) => p.name)]);
    // Built now: a detector that cannot be built stops start-up, not the first request.
    this.detectorsFor(null, undefined);
  }

  scrub(req: ScrubRequest): ScrubResponse {
    const s = this.scrubMany(req.task_id, [req.text], req);
    return { text: s.texts[0] ?? '', task_id: s.taskId, entities_found: s.found };
  }

  /**
   * Scrubs several texts of one request in one vault transaction (a chat's messages): the same
   * value gets the same placeholder across them, and any failure stores nothing.
   */
  scrubMany(
    taskId: string | undefined,
    texts: readonly string[],
    opts: { entities?: string[]; language?: string } = {},
  ): ScrubSession & { texts: string[] } {
    const detectors = this.detectorsFor(regionOf(opts.language), opts.entities);
    const id = taskId ?? newTaskId();
    const done = this.o.store.withTask(id, true, (table) => {
      const counts = new Map<string, EntityFound>();
      const out = texts.map((text) => {
        const r = this.guarded(() => scrubText(text, detectors, table));
        for (const f of r.found) {
          const seen = counts.get(f.placeholder);
          if (seen) seen.count += f.count;
          else counts.set(f.placeholder, { ...f });
        }
        return r.text;
      });
      return { texts: out, table, found: [...counts.values()] };
    });
    if (!done) throw new AppError('INTERNAL', 'The redaction task could not be created');
    return { taskId: id, ...done.result };
  }

  /**
   * Scrubs a chat request (engine/chat-body.ts: every message text, tool-call arguments string by
   * string) in one vault transaction; `task_id` (ours, not vLLM's) is left out of the copy.
   */
  scrubChat(
    taskId: string | undefined,
    body: Record<string, unknown>,
  ): ScrubSession & { body: Record<string, unknown> } {
    const detectors = this.detectorsFor(null, undefined);
    const { task_id: _ours, ...request } = body;
    const id = taskId ?? newTaskId();
    const done = this.o.store.withTask(id, true, (table) => {
      const r = this.guarded(() => scrubChatRequest(request, detectors, table));
      return { body: r.body, table, found: r.found };
    });
    if (!done) throw new AppError('INTERNAL', 'The redaction task could not be created');
    return { taskId: id, ...done.result };
  }

  rehydrate(req: RehydrateRequest): RehydrateResponse {
    const done = this.o.store.withTask(req.task_id, false, (table) => rehydrateText(req.text, table));
    if (!done) throw taskNotFound(req.task_id);
    return { text: done.result, task_id: req.task_id };
  }

  task(id: string): RedactionTaskView {
    const s = this.o.store.summary(id);
    if (!s) throw taskNotFound(id);
    return {
      task_id: s.id,
      created_at: new Date(s.createdAt).toISOString(),
      expires_at: new Date(s.expiresAt).toISOString(),
      placeholders: s.placeholders,
    };
  }

  deleteTask(id: string): void {
    if (!this.o.store.delete(id)) throw taskNotFound(id);
  }

  private detectorsFor(region: string | null, entities: string[] | undefined): Detector[] {
    const key = region ?? this.o.defaultRegion ?? '';
    let all = this.byRegion.get(key);
    if (!all) {
      // defaultRegion is the detectors' optional field (detect helper); older builds ignore it.
      const opts: DetectorOptions & { defaultRegion?: string } = {
        ...this.o.detectors,
        ...(key ? { defaultRegion: key } : {}),
      };
      all = (this.o.build ?? buildDetectors)(opts);
      // Bounded: regions are two letters, but a cache keyed by client input stays small anyway.
      if (this.byRegion.size < 64) this.byRegion.set(key, all);
    }
    if (!entities) return all;
    const unknown = entities.filter((e) => !this.knownTypes.has(e));
    if (unknown.length > 0)
      throw new AppError(
        'VALIDATION_FAILED',
        `Unknown entity type ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${[...this.knownTypes].join(', ')}`,
        { details: { param: 'entities' } },
      );
    const wanted = new Set(entities);
    return all.filter((d) => wanted.has(d.type));
  }

  /** A detector that throws fails the scrub; its message is not repeated (it may quote the text). */
  private guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      const name = err instanceof Error ? err.name : typeof err;
      this.o.log.warn({ error: name }, 'redaction: a detector failed; the scrub was refused');
      throw new AppError(
        'REDACTION_FAILED',
        'The text could not be scrubbed: a detector failed on it (for example a custom pattern ran out of time). Nothing was stored or returned.',
      );
    }
  }
}

export const taskNotFound = (id: string) =>
  new AppError('NOT_FOUND', `No redaction task "${id}" (unknown, deleted or expired)`);
