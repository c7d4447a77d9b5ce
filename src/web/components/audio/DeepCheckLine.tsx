// "Deep check ok 3 min ago · 412 ms" / "Deep check FAILED 2 min ago: <excerpt>", with ↻ to run it
// now, and the auto-restart count and pause notice under it.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeepCheckResult, ServiceInfo } from '../../../common/services-api.js';
import { errorMessage } from '../../api/client.js';
import { audioKeys, runDeepCheck } from '../../api/services.js';
import { useDeepHealth } from '../../hooks/audioQueries.js';
import { useNow } from '../../hooks/useNow.js';
import { autoRestartNotice, deepCheckLine, newerCheck } from '../../lib/services.js';

export function DeepCheckLine({ service }: { service: ServiceInfo }) {
  const client = useQueryClient();
  const now = useNow();
  const { data: deep } = useDeepHealth();
  const [manual, setManual] = useState<DeepCheckResult | null>(null);
  const run = useMutation({
    mutationFn: () => runDeepCheck(service.name),
    onSuccess: (result) => {
      setManual(result);
      void client.invalidateQueries({ queryKey: audioKeys.deepHealth, exact: true });
    },
  });
  const fromDeep = deep?.services[service.name];
  const check = newerCheck(newerCheck(service.deep_check, fromDeep?.last), manual);
  const line = deepCheckLine(check, now);
  const notice = autoRestartNotice(service.auto_restart ?? fromDeep?.auto_restart);

  return (
    <div className="stack-tight">
      <div className="deep-check-row">
        <span
          className={`small deep-check deep-${line.tone}`}
          data-testid={`deep-check-${service.name}`}
          data-outcome={check?.outcome ?? 'none'}
          data-at={check?.at ?? ''}
          title={check?.error ?? undefined}
        >
          {line.text}
        </span>
        <button
          type="button"
          className="btn btn-icon"
          data-testid={`deep-check-run-${service.name}`}
          aria-label={`Run the deep check of ${service.name} now`}
          title="Run the deep check now"
          disabled={run.isPending}
          onClick={() => run.mutate()}
        >
          {run.isPending ? '…' : '↻'}
        </button>
      </div>
      {run.error ? (
        <p className="small error-text" role="alert">
          Deep check: {errorMessage(run.error)}
        </p>
      ) : null}
      {notice.count ? (
        <p className="small muted" data-testid={`auto-restarts-${service.name}`}>
          {notice.count}
        </p>
      ) : null}
      {notice.paused ? (
        <p className="small warn-text" role="status" data-testid={`auto-restart-paused-${service.name}`}>
          {notice.paused}
        </p>
      ) : null}
    </div>
  );
}
