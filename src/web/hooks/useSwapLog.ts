// Follows GET /api/swap/{id}/stream (useJobLog.ts): the log replayed from the start, then live
// lines and job changes, then `end`. When the swap ends, its final state may arrive here before
// the event stream's `swap` envelope, so the swap and what is loaded are read again.
import { useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { refreshLoaded } from '../api/applyEvents.js';
import { queryKeys } from '../api/endpoints.js';
import { swapStreamUrl } from '../api/llm.js';
import { useJobLog } from './useJobLog.js';

export type { LogStreamState } from './useJobLog.js';

/** `running`: whether the swap still runs; a finished swap's stream is not reopened after an error. */
export function useSwapLog(id: string, running: boolean) {
  const client = useQueryClient();
  const callbacks = useMemo(() => {
    const refreshSwap = () => {
      void client.invalidateQueries({ queryKey: queryKeys.swapCurrent, exact: true });
      refreshLoaded(client);
    };
    return {
      onJob: (job: { state: string }) => {
        if (job.state !== 'running') refreshSwap();
      },
      onEnd: refreshSwap,
    };
  }, [client]);
  const { log, state } = useJobLog(swapStreamUrl(id), { running, ...callbacks });
  // The phase is not returned: the panel reads it from the swap itself, with its state.
  return { log, state };
}
