// The redaction module in one call for buildApp: the vault (key file, store, background purge),
// the detectors from config (names, names file, custom patterns — a bad one stops start-up, named),
// /scrub, /rehydrate and the task routes, and the redacting chat handler the gateway serves at
// /v1/redact/chat/completions (and for always-redact keys).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { Db } from '../../platform/store/db.js';
import { createRedactChat, type RedactChat } from './chat/redact-chat.js';
import { customPatternProblem } from './detectors/custom-pattern.js';
import type { AdminAuth } from '../auth/service.js';
import { redactionRoutes } from './routes.js';
import { RedactionService } from './service.js';
import { loadOrCreateVaultKey } from './vault/crypto.js';
import { startPurge } from './vault/purge.js';
import { VaultStore } from './vault/store.js';

export type { RedactChat } from './chat/redact-chat.js';

export interface RedactionModuleDeps {
  config: AppConfig;
  db: Db;
  /** The dashboard's sign-in also passes /scrub and /rehydrate when API keys are configured. */
  admin?: AdminAuth | null;
  /** Tests: a clock for retention, a shorter purge interval. */
  timings?: { now?: () => number; purgeIntervalMs?: number };
}

export interface RedactionModule {
  service: RedactionService;
  redactChat: RedactChat;
  /** Runs the purge now (what the timer does); returns how many tasks it deleted. */
  purgeNow(): number;
}

export class RedactionConfigError extends Error {
  override name = 'RedactionConfigError';
}

/** redaction.names plus the names file's lines (blank lines and `#` comments skipped). */
export function personNames(config: AppConfig): string[] {
  const file = config.redaction.names_file;
  if (!file) return config.redaction.names;
  const path = resolve(dirname(config.config_file), file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RedactionConfigError(
      `redaction.names_file: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const fromFile = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return [...config.redaction.names, ...fromFile];
}

export async function redactionModule(
  app: FastifyInstance,
  d: RedactionModuleDeps,
): Promise<RedactionModule> {
  const { config } = d;
  const r = config.redaction;
  for (const [i, p] of r.patterns.entries()) {
    const problem = customPatternProblem(p);
    if (problem) throw new RedactionConfigError(`redaction.patterns.${i}: ${problem}`);
  }
  const names = personNames(config);
  const key = loadOrCreateVaultKey(config.data_dir);
  const retentionMs = r.retention_hours * 3_600_000;
  const store = new VaultStore({ db: d.db, cipher: key.cipher, retentionMs, now: d.timings?.now });
  if (key.narrowed) app.log.warn('redaction vault key file was readable by others; narrowed it to 0600');
  if (key.created) {
    // Values sealed under a key that is gone can never be opened again: drop them, say so.
    const dropped = store.clear();
    if (dropped > 0)
      app.log.warn(
        { dropped },
        'redaction vault key was missing: a new one was made and the old tasks dropped',
      );
  }
  const service = new RedactionService({
    store,
    detectors: { names, patterns: r.patterns },
    defaultRegion: r.default_region,
    log: app.log,
  });
  await app.register(redactionRoutes, {
    service,
    apiKeys: config.api_keys,
    admin: d.admin ?? null,
    maxTextBytes: Math.round(r.max_text_kb * 1024),
  });
  const purge = startPurge({
    store,
    intervalMs: d.timings?.purgeIntervalMs ?? Math.min(10 * 60_000, Math.max(1_000, retentionMs / 10)),
    log: app.log,
  });
  const chat = createRedactChat({ service });
  app.addHook('preClose', async () => {
    purge.stop();
    await chat.close();
  });
  return { service, redactChat: chat.handle, purgeNow: purge.runNow };
}
