// The settings page's service: the settings in effect (masked), a save that validates exactly as
// start-up does and writes the file atomically, and the check a restart runs first. Saves run
// one at a time (a queue), so two racing PUTs never interleave their reads and writes.
import { existsSync } from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import type {
  ConfigSaved,
  ConfigView,
  SettingsDocument,
  SettingsProblem,
} from '../../../common/config-api.js';
import { checkSettings, readConfigFile } from '../../config/load.js';
import type { AppConfig } from '../../config/types.js';
import { changedKeys, splitLive } from './diff.js';
import { checkSubmitted, located, type Effective } from './check.js';
import { projectSettings } from './document.js';
import { envKeys } from './env-keys.js';
import { configChanged, fileRevision, writeConfigFile } from './file-store.js';
import { maskDocument } from './secrets.js';

type Env = Record<string, string | undefined>;

export class ConfigInvalid extends Error {
  constructor(readonly problems: SettingsProblem[]) {
    const n = problems.length;
    super(`The settings were not saved: ${n} ${n === 1 ? 'problem' : 'problems'} to fix first.`);
    this.name = 'ConfigInvalid';
  }
}

export class SettingsService {
  private state: Effective;
  private restartPending = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: { config: AppConfig; env: Env; log: FastifyBaseLogger }) {
    const read = this.readDisk();
    this.state = read.problems.length === 0 && read.effective ? read.effective : this.fromRunning();
  }

  /** GET /api/config. */
  view(): ConfigView {
    const disk = this.readDisk();
    // A valid file that differs from what runs (edited by hand) also waits for a restart.
    const differs = disk.effective !== null && changedKeys(this.state.doc, disk.effective.doc).length > 0;
    return {
      settings: maskDocument(this.state.doc),
      env: this.state.env,
      file: { path: this.o.config.config_file, state: disk.state, problems: disk.problems },
      restart_pending: this.restartPending || differs,
      revision: fileRevision(this.o.config.config_file),
      simulated: this.o.config.simulated,
    };
  }

  /**
   * PUT /api/config: one save at a time. With `revision` (the one GET gave), a file changed since
   * is not overwritten: of two saves from the same page state, the second is refused.
   */
  save(submitted: SettingsDocument, revision?: string): Promise<ConfigSaved> {
    const run = this.queue.then(() => this.saveNow(submitted, revision));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Problems of the file on disk now (empty: a restart would load it). Waits for a running save. */
  async restartProblems(): Promise<SettingsProblem[]> {
    await this.queue;
    return this.readDisk().problems;
  }

  private async saveNow(submitted: SettingsDocument, revision?: string): Promise<ConfigSaved> {
    if (revision !== undefined && revision !== fileRevision(this.o.config.config_file)) throw configChanged();
    const current = this.state;
    const checked = checkSubmitted(submitted, current, this.o.env);
    if (!checked.ok) throw new ConfigInvalid(checked.problems);
    const { settings, doc, file } = checked;
    const changed = changedKeys(current.doc, doc);
    const { applied, pending } = splitLive(changed);
    const backup = await writeConfigFile(this.o.config.config_file, file);
    // Live keys: modules read these from the shared config per request.
    this.o.config.cluster_name = settings.cluster_name;
    this.o.config.open_webui_url = settings.open_webui_url;
    this.state = { file, doc, env: checked.env };
    if (pending.length > 0) this.restartPending = true;
    // Key names only: values (secrets among them) never reach the log.
    this.o.log.info({ changed, applied, backup }, 'settings saved');
    return {
      changed,
      applied,
      restart_required: this.restartPending,
      backup,
      revision: fileRevision(this.o.config.config_file),
    };
  }

  /** The file on disk, checked with the environment as start-up would. */
  private readDisk(): {
    state: ConfigView['file']['state'];
    problems: SettingsProblem[];
    effective: Effective | null;
  } {
    const path = this.o.config.config_file;
    const exists = existsSync(path);
    const problems: { path: string; message: string }[] = [];
    const file = readConfigFile(path, problems, []);
    const checked = problems.length === 0 ? checkSettings(file, this.o.env) : null;
    if (checked) problems.push(...checked.problems);
    const effective =
      checked?.settings && problems.length === 0
        ? {
            file,
            doc: projectSettings(checked.settings, checked.candidate),
            env: envKeys(checked.origins),
          }
        : null;
    const state = !exists ? 'missing' : effective ? 'ok' : 'invalid';
    return { state, problems: located(problems), effective };
  }

  /** When the file on disk cannot be read at start: what the server runs on (its other sections unknown). */
  private fromRunning(): Effective {
    const c = this.o.config;
    // The simulated cluster's nodes are the simulator's, not settings.
    const settings = c.simulated ? { ...c, nodes: [], services: {}, vllm: { ...c.vllm, nodes: [] } } : c;
    return {
      file: {},
      doc: projectSettings(settings, {}),
      env: envKeys(checkSettings({}, this.o.env).origins),
    };
  }
}
