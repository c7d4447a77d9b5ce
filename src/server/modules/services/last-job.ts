// What an interrupted or failed job on a container left behind, in the owner's words: the card,
// the patches panel and the NIM installs notice show it. Pure (job + docker's view now → text), so
// each kind's explanation is table-tested; the job's own log has the detail.
//
// An interrupted job stopped because the control plane restarted: the remote command it was
// running was killed (the transport ends it with the job's signal), so the explanation says how far
// the job had got — its last phase, or a patch job's last finished step — and what that leaves.
import type { DockerState, LastJobInfo } from '../../../common/services-api.js';
import type { BadEnd } from '../../platform/jobs/last-job.js';

const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v ? v : fallback);

/** "The restart of parakeet": what the job was, from its kind and meta. */
export function jobWhat(job: Pick<BadEnd, 'kind' | 'meta'>): string {
  const m = job.meta;
  const service = str(m.service, str(m.container, 'the service'));
  switch (job.kind) {
    case 'service-action':
      return `The ${str(m.action, 'action')} of ${service}`;
    case 'auto-restart':
      return `The automatic restart of ${service}`;
    case 'matrix-bridge-update':
      return 'The update of matrix-bridge';
    case 'nim-install':
      return `The install of ${str(m.image, 'a NIM')} as ${str(m.container, 'a container')}`;
    case 'patch-reapply':
      return 'The reapply of the speech-model patches';
    case 'patch-restore':
      return 'The restore of the original speech-model files';
    case 'patch-restart':
      return `The restart of ${str(m.container, 'the Parakeet container')}`;
    default:
      return `A ${job.kind} job`;
  }
}

/** "parakeet-asr is running now", or '' when docker's view is not known here. */
export function stateNow(container: string, docker: DockerState | null): string {
  switch (docker) {
    case 'running':
      return `${container} is running now`;
    case 'exited':
      return `${container} is stopped now`;
    case 'restarting':
      return `${container} is restarting now`;
    case 'paused':
      return `${container} is paused now`;
    case 'missing':
      return `There is no container ${container} now`;
    case 'unknown':
      return `The state of ${container} is not known now (its node did not answer)`;
    default:
      return '';
  }
}

// Container names are never capitalised: stateNow's phrases start sentences as they are.
const sentence = (s: string): string => (s ? `${s}.` : '');
const join = (...parts: string[]): string => parts.filter(Boolean).join(' ');

/** After an interrupted start/stop/restart: docker may or may not have finished it. */
function actionAdvice(action: string, container: string, docker: DockerState | null): string {
  const state = sentence(stateNow(container, docker));
  const wanted = action === 'stop' ? 'exited' : 'running';
  let todo: string;
  if (docker === null || docker === 'unknown') todo = 'Check the card before acting again.';
  else if (docker === 'missing') todo = 'Reinstall it or remove this service.';
  else if (docker === wanted)
    todo =
      action === 'stop' ? 'Nothing to do.' : 'Nothing to do if its health is green; otherwise restart it.';
  else todo = action === 'stop' ? 'Stop it again if you meant it to stop.' : 'Start or restart it.';
  return join(`docker ${action} may not have finished.`, state, todo);
}

const NIM_NOT_CREATED = new Set([
  'starting',
  'Logging in to nvcr.io',
  'Pulling the image',
  'Preparing the cache volume',
]);

function nimAdvice(job: BadEnd, container: string, docker: DockerState | null): string {
  const state = sentence(stateNow(container, docker));
  const choose = 'Register it as a service or remove the container (Audio tab, under the services).';
  if (job.state === 'failed') {
    if (docker === 'missing') return 'Nothing was left on the node; fix the cause and install again.';
    if (docker === null) return 'The job log says whether the container was removed.';
    return join(`The install could not remove what it started.`, state, choose);
  }
  if (NIM_NOT_CREATED.has(job.phase))
    return join(
      'It stopped before docker run: no container was created.',
      state,
      'Install again; pulled layers are reused.',
    );
  if (job.phase === 'Registering the service')
    return join(`${container} was ready; it may already be listed as a service.`, state);
  const created =
    job.phase === 'Starting the container'
      ? `docker run may have created ${container}.`
      : `${container} was created and keeps running (restart unless-stopped) but was not registered as a service.`;
  return join(created, state, docker === 'missing' ? 'Install again.' : choose);
}

/** A patch job's last finished step (its phase), and what the container holds after it. */
function patchAdvice(job: BadEnd, container: string, docker: DockerState | null): string {
  const state = sentence(stateNow(container, docker));
  const restore = 'or put the originals back with POST /api/speech-models/restore';
  if (job.state === 'failed')
    return join(state, 'The files above show what the container has now; the job log has each step.');
  const reapply = job.kind === 'patch-reapply';
  switch (job.phase) {
    case 'starting':
    case 'check':
      return join(`No file in ${container} was changed.`, state, 'Run it again.');
    case 'backup':
      return `The originals were backed up but the copy had not finished: some shipped files may be in ${container}, which was not restarted and still runs its previous code. Reapply again to finish, ${restore}.`;
    case 'copy':
    case 'verify':
      return `The shipped files are in ${container} but were not syntax-checked, and it was not restarted: it still runs its previous code. Reapply again to check and restart it, ${restore}.`;
    case 'py_compile':
    case 'restore':
      return join(
        `The ${reapply ? 'shipped' : 'original'} files are in place; the restart had not finished.`,
        state,
        'Restart the container to load them.',
      );
    default:
      return join(
        `${container} was restarted and was loading its models.`,
        state,
        'If it does not answer, restart it.',
      );
  }
}

export function lastJobAdvice(job: BadEnd, docker: DockerState | null, container?: string): string {
  const name = str(job.meta.container, container ?? 'the container');
  return adviceFor(job, docker, name);
}

function adviceFor(job: BadEnd, docker: DockerState | null, container: string): string {
  switch (job.kind) {
    case 'nim-install':
      return nimAdvice(job, container, docker);
    case 'patch-reapply':
    case 'patch-restore':
      return patchAdvice(job, container, docker);
    case 'service-action':
    case 'auto-restart':
    case 'patch-restart': {
      const action = job.kind === 'service-action' ? str(job.meta.action, 'restart') : 'restart';
      if (job.state === 'interrupted') return actionAdvice(action, container, docker);
      return join(sentence(stateNow(container, docker)), 'The job log has docker’s output.');
    }
    case 'matrix-bridge-update':
      return job.state === 'interrupted'
        ? join(
            'The update stopped partway: the clone may already be at the new commit while the container still runs the old build.',
            sentence(stateNow(container, docker)),
            'Run Update again.',
          )
        : join(sentence(stateNow(container, docker)), 'The job log has git’s and docker’s output.');
    default:
      return join(sentence(stateNow(container, docker)), 'The job log says how far it got.');
  }
}

/**
 * The API shape of a bad end, explained against docker's view now (null: not known where it is
 * asked). `container` is the card's when the job's meta does not name one (the bot's update).
 */
export function describeLastJob(job: BadEnd, docker: DockerState | null, container?: string): LastJobInfo {
  const interrupted = job.state === 'interrupted';
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    what: jobWhat(job),
    phase: job.phase,
    ended_at: job.finished_at ?? job.started_at,
    reason: job.error ?? (interrupted ? 'The control plane restarted during this job.' : 'It failed.'),
    advice: lastJobAdvice(job, docker, container) || 'The job log says how far it got.',
  };
}
