// The event stream's connection state, shared so queries can fall back to polling while the
// stream is down.
import { createContext, useContext } from 'react';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export const StreamStateContext = createContext<StreamState>('connecting');

export function useStreamState(): StreamState {
  return useContext(StreamStateContext);
}

/** Poll this often while the stream is not live; no polling while it is. */
export function fallbackInterval(state: StreamState, ms: number): number | false {
  return state === 'live' ? false : ms;
}
