// Delivers one job's live events to its subscribers (job streams) and state changes to the
// dashboard's event bus. Subscribing works for any id, so a stream opened on a job that is still
// waiting for recovery sees it resume or end.
import type { JobInfo } from '../../../common/api.js';
import type { JobEvent } from './live-job.js';

/** The slice of EventBus the runner publishes to (needs a `job` member in EventEnvelope). */
export interface JobEventSink {
  publish(type: 'job', data: JobInfo): void;
}

type Listener = (e: JobEvent) => void;

export class JobFanout {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly bus?: JobEventSink) {}

  subscribe(id: string, fn: Listener): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.listeners.get(id) === set) this.listeners.delete(id);
    };
  }

  emit(id: string, e: JobEvent): void {
    for (const fn of this.listeners.get(id) ?? []) {
      try {
        fn(e);
      } catch {
        // A failing subscriber (a closed stream) must not break the job or the other subscribers.
      }
    }
    if (e.type !== 'job') return;
    try {
      this.bus?.publish('job', e.job);
    } catch {
      // Same: the bus is a side channel.
    }
  }
}
