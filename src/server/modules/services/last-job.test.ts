import { describe, expect, it } from 'vitest';
import type { DockerState } from '../../../common/services-api.js';
import type { BadEnd } from '../../platform/jobs/last-job.js';
import { worthANotice } from '../nim/installs.js';
import { describeLastJob, jobWhat, lastJobAdvice } from './last-job.js';

const bad = (
  kind: string,
  phase: string,
  meta: Record<string, unknown>,
  over: Partial<BadEnd> = {},
): BadEnd => ({
  id: 'j1',
  kind,
  state: 'interrupted',
  phase,
  progress: null,
  error: 'The control plane restarted while this job was running.',
  started_at: '2025-06-01T11:58:00.000Z',
  finished_at: '2025-06-01T12:00:00.000Z',
  locks: [],
  meta,
  ...over,
});

const NIM = { image: 'nvcr.io/nim/nvidia/parakeet:1', container: 'asr-nim', node: 'spark2', port: 9000 };
const PATCH = { container: 'parakeet-asr', node: 'spark2' };

describe('jobWhat', () => {
  it.each([
    [bad('service-action', 'x', { service: 'parakeet', action: 'restart' }), 'The restart of parakeet'],
    [
      bad('auto-restart', 'x', { service: 'magpie', container: 'magpie-tts' }),
      'The automatic restart of magpie',
    ],
    [bad('nim-install', 'x', NIM), 'The install of nvcr.io/nim/nvidia/parakeet:1 as asr-nim'],
    [bad('patch-reapply', 'x', PATCH), 'The reapply of the speech-model patches'],
    [bad('patch-restart', 'x', PATCH), 'The restart of parakeet-asr'],
    [bad('matrix-bridge-update', 'x', { service: 'matrix-bridge' }), 'The update of matrix-bridge'],
    [bad('swap', 'x', {}), 'A swap job'],
  ])('%#: %s', (job, what) => {
    expect(jobWhat(job)).toBe(what);
  });
});

describe('what an interrupted job left', () => {
  const cases: [string, BadEnd, DockerState | null, RegExp[]][] = [
    [
      'an install cut off while pulling created nothing',
      bad('nim-install', 'Pulling the image', NIM),
      'missing',
      [/no container was created/, /Install again/],
    ],
    [
      'an install cut off while waiting for ready left a running, unregistered container',
      bad('nim-install', 'Waiting for /v1/health/ready', NIM),
      'running',
      [
        /asr-nim was created and keeps running/,
        /not registered/,
        /asr-nim is running now/,
        /Register it/,
        /remove the container/,
      ],
    ],
    [
      'an install cut off at docker run may or may not have a container',
      bad('nim-install', 'Starting the container', NIM),
      'missing',
      [/docker run may have created asr-nim/, /There is no container asr-nim now/, /Install again/],
    ],
    [
      'a reapply cut off after the backup: files may be half copied, not restarted',
      bad('patch-reapply', 'backup', PATCH),
      'running',
      [/copy had not finished/, /still runs its previous code/, /Reapply again/, /speech-models\/restore/],
    ],
    [
      'a reapply cut off after the copy: not syntax-checked, not restarted',
      bad('patch-reapply', 'copy', PATCH),
      null,
      [/not syntax-checked/, /Reapply again/],
    ],
    [
      'a reapply cut off after py_compile: restart to load',
      bad('patch-reapply', 'py_compile', PATCH),
      'running',
      [/shipped files are in place/, /Restart the container/],
    ],
    [
      'a reapply cut off while waiting for health after the restart',
      bad('patch-reapply', 'restart', PATCH),
      'restarting',
      [/was restarted and was loading/, /parakeet-asr is restarting now/],
    ],
    [
      'a reapply cut off before it changed anything',
      bad('patch-reapply', 'starting', PATCH),
      'running',
      [/No file in parakeet-asr was changed/],
    ],
    [
      'a restart cut off with the container stopped',
      bad('service-action', 'Restarting parakeet', {
        service: 'parakeet',
        action: 'restart',
        container: 'parakeet-asr',
      }),
      'exited',
      [/docker restart may not have finished/, /parakeet-asr is stopped now/, /Start or restart it/],
    ],
    [
      'a stop cut off with the container stopped: nothing to do',
      bad('service-action', 'Stopping magpie', {
        service: 'magpie',
        action: 'stop',
        container: 'magpie-tts',
      }),
      'exited',
      [/Nothing to do\./],
    ],
    [
      'a restart cut off on a node that does not answer',
      bad('auto-restart', 'restarting', { service: 'parakeet', container: 'parakeet-asr' }),
      'unknown',
      [/not known now/, /Check the card/],
    ],
    [
      "the bot's update names the card's container",
      bad('matrix-bridge-update', 'building', { service: 'matrix-bridge' }),
      'running',
      [/clone may already be at the new commit/, /bridge-c is running now/, /Run Update again/],
    ],
  ];
  it.each(cases)('%s', (_what, job, docker, expected) => {
    const advice = lastJobAdvice(job, docker, 'bridge-c');
    for (const re of expected) expect(advice).toMatch(re);
  });

  it('a failed install: nothing left, or what it could not remove', () => {
    const failed = bad('nim-install', 'Waiting for /v1/health/ready', NIM, { state: 'failed', error: 'x' });
    expect(lastJobAdvice(failed, 'missing')).toMatch(/Nothing was left on the node/);
    expect(lastJobAdvice(failed, 'exited')).toMatch(/could not remove.*asr-nim is stopped now/);
  });

  it('the API shape: reason is the job error, ended_at its end', () => {
    const info = describeLastJob(bad('patch-reapply', 'copy', PATCH), 'running');
    expect(info).toMatchObject({
      id: 'j1',
      kind: 'patch-reapply',
      state: 'interrupted',
      what: 'The reapply of the speech-model patches',
      phase: 'copy',
      ended_at: '2025-06-01T12:00:00.000Z',
      reason: 'The control plane restarted while this job was running.',
    });
    expect(info.advice).toMatch(/not syntax-checked/);
    expect(describeLastJob(bad('swap', 'x', {}), null).advice).toBe('The job log says how far it got.');
  });
});

describe('worthANotice (GET /api/nim/installs)', () => {
  it.each([
    ['interrupted', 'missing', true],
    ['interrupted', 'running', true],
    ['failed', 'missing', false],
    ['failed', 'exited', true],
    ['failed', 'unknown', true],
  ] as const)('%s with the container %s → %s', (state, container, expected) => {
    expect(worthANotice(state, container)).toBe(expected);
  });
});
