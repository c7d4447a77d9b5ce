// The pre-swap check of the launcher (issue 12 item 7): a launcher that lacks what the swap would
// pass it (`-d`, `exec`, and `--solo` for a solo model) would stop the running model and then fail
// on an unknown argument — or, without `-d`, tie the model's life to the SSH session. So the swap
// and its pre-flight refuse first, naming what is missing and what to do. A launcher that cannot
// be read refuses too (`launcher_unknown`): the check never guesses.
import type { PreSwapCheck } from '../swap/pre-swap-checks.js';
import { lackingFor } from './capabilities.js';
import type { LauncherCapabilityCache } from './capability-cache.js';

export function launcherCheck(cache: Pick<LauncherCapabilityCache, 'get' | 'node'>): PreSwapCheck {
  return async (model, nodes) => {
    const head = nodes[0] ?? cache.node ?? 'the head node';
    let caps;
    try {
      caps = await cache.get();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return {
        code: 'launcher_unknown',
        message: `Cannot tell whether the launcher on ${head} can run this swap: ${why}`,
        details: { node: head },
      };
    }
    const lacking = lackingFor(caps, model.mode);
    if (lacking.length === 0) return null;
    const commit = caps.commit.slice(0, 7);
    return {
      code: 'launcher_outdated',
      message: `The launcher on ${head} (commit ${commit}) lacks ${lacking.join(', ')}: update the launcher from the Updates banner`,
      details: { node: head, commit: caps.commit, missing: lacking },
    };
  };
}
