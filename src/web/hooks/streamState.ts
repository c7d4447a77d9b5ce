// The event stream's connection state, shared so queries can fall back to polling while the
// stream is down.
import { createContext, useContext } from 'react';

/** `restarting`: the server said it is going down (restart, upgrade); the stream reconnects by itself. */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'restarting';

export const StreamStateContext = createContext<StreamState>('connecting');

export function useStreamState(): StreamState {
  return useContext(StreamStateContext);
}

/** Poll this often while the stream is not live; no polling while it is. */
export function fallbackInterval(state: StreamState, ms: number): number | false {
  return state === 'live' ? false : ms;
}
