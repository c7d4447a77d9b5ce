// Typed in-process event bus. Modules publish envelopes; /api/events fans them out to browsers.
// Modules that own live state register a replay function so a new subscriber first receives
// the current state, then live events — no client ever starts from an empty screen.
import type { EventEnvelope, EventType } from '../../../common/api.js';

type DataOf<T extends EventType> = Extract<EventEnvelope, { type: T }>['data'];
type Listener = (e: EventEnvelope) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly replays: (() => EventEnvelope[])[] = [];

  publish<T extends EventType>(type: T, data: DataOf<T>): void {
    const envelope = { type, ts: new Date().toISOString(), data } as EventEnvelope;
    for (const fn of this.listeners) {
      try {
        fn(envelope);
      } catch {
        // A failing subscriber must not break the publisher or the other subscribers.
      }
    }
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Registers a source of "current state" envelopes sent to every new subscriber. */
  addReplay(fn: () => EventEnvelope[]): void {
    this.replays.push(fn);
  }

  currentState(): EventEnvelope[] {
    return this.replays.flatMap((fn) => fn());
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
