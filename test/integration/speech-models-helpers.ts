// Shared by the speech-model patch tests: requests and what the speech node's sshd ran.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobInfo } from '../../src/common/api.js';
import type { ReapplyResult, SpeechModelsResponse } from '../../src/common/services-api.js';
import { sshExecLog } from '../../src/sim/argv-log.js';
import { getJson, type TestCluster } from '../helpers/harness.js';

export const OVERLAY = join(import.meta.dirname, '..', '..', 'overlays', 'parakeet');
export const APP = '/opt/parakeet/app';
export type Err = { error: { code: string; message: string } };
export type Result = ReapplyResult & { job: JobInfo };

export const sha256File = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex');

export const status = async (c: TestCluster) =>
  (await getJson<SpeechModelsResponse>(`${c.url}/api/speech-models?refresh=1`)).body;

export const post = <T>(c: TestCluster, path: string) =>
  getJson<T>(`${c.url}/api/speech-models/${path}`, { method: 'POST' });

export const byName = (s: SpeechModelsResponse): Record<string, SpeechModelsResponse['files'][number]> =>
  Object.fromEntries(s.files.map((f) => [f.path.slice(APP.length + 1), f]));

/** Commands the speech node ran that match `re`, oldest first. */
export const ran = (c: TestCluster, re: RegExp): string[] =>
  sshExecLog(join(c.dataDir, 'sim'), c.sim.speech.parakeet.node)
    .map((e) => e.command)
    .filter((cmd) => re.test(cmd));
