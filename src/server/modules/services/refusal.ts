// Whether start/stop/restart makes sense for the container's current state (SPEC §7: buttons are
// disabled where they make no sense; the API refuses the same cases with 409). Pure, table-tested.
import type { DockerState, ServiceAction } from '../../../common/services-api.js';

export function actionRefusal(
  name: string,
  state: DockerState,
  action: ServiceAction,
  why: string | null,
): string | null {
  if (state === 'unknown')
    return `Cannot ${action} ${name}: its state is unknown${why ? ` (${why})` : ''}; nothing was attempted.`;
  if (state === 'missing') return `Cannot ${action} ${name}: its container does not exist on the node.`;
  switch (action) {
    case 'start':
      if (state === 'running') return `${name} is already running.`;
      if (state === 'restarting') return `${name} is restarting; wait for it to come up.`;
      if (state === 'paused') return `${name} is paused; restart or stop it instead.`;
      return null;
    case 'stop':
      if (state === 'exited') return `${name} is not running.`;
      return null;
    case 'restart':
      if (state === 'restarting') return `${name} is already restarting.`;
      return null;
  }
}
