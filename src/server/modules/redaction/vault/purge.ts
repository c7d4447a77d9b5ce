// The background purge: every interval, tasks past their retention are deleted. The timer is
// unref'd (it never keeps the process alive) and stopped on close; a purge that throws (a locked
// database) is logged and tried again at the next tick.
import type { VaultStore } from './store.js';

export interface PurgeOptions {
  store: Pick<VaultStore, 'purgeExpired'>;
  intervalMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export function startPurge(o: PurgeOptions): { stop(): void; runNow(): number } {
  const runNow = () => {
    try {
      const purged = o.store.purgeExpired();
      if (purged > 0) o.log.info({ purged }, 'redaction vault: expired tasks purged');
      return purged;
    } catch (err) {
      o.log.warn({ err }, 'redaction vault: purge failed; retrying at the next interval');
      return 0;
    }
  };
  const timer = setInterval(runNow, o.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow };
}
