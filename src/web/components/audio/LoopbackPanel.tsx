// The speech loopback probe: Magpie speaks a known phrase, Parakeet transcribes it, the words are
// compared (≥ 60 % heard back passes). Shows the last result and runs it on demand.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeepHealthResponse, LoopbackResult } from '../../../common/services-api.js';
import { errorMessage } from '../../api/client.js';
import { audioKeys, isNotAvailable, runLoopback } from '../../api/services.js';
import { useDeepHealth } from '../../hooks/audioQueries.js';
import { useNow } from '../../hooks/useNow.js';
import { formatAge } from '../../lib/format.js';
import { LoadProblem } from './LoadProblem.js';

export function LoopbackPanel() {
  const client = useQueryClient();
  const deep = useDeepHealth();
  const run = useMutation({
    mutationFn: runLoopback,
    onSuccess: (result) => {
      client.setQueryData<DeepHealthResponse>(audioKeys.deepHealth, (old) =>
        old ? { ...old, loopback: result } : old,
      );
    },
  });
  const result = run.data ?? deep.data?.loopback ?? null;

  return (
    <section className="card audio-panel" aria-label="Speech loopback" data-testid="loopback-panel">
      <header className="card-title-row">
        <h3 className="model-name">Speech loopback</h3>
        <button
          type="button"
          className="btn"
          data-testid="loopback-run"
          disabled={run.isPending}
          onClick={() => run.mutate()}
          title="Magpie speaks a fixed phrase, Parakeet transcribes it, and the words are compared"
        >
          {run.isPending ? 'Running…' : 'Run'}
        </button>
      </header>
      {result ? <LoopbackLine result={result} /> : null}
      {!result && deep.error && !run.error ? <LoadProblem what="Deep health" error={deep.error} /> : null}
      {!result && !deep.error && !run.error ? <p className="small muted">Not run yet.</p> : null}
      {run.error ? (
        isNotAvailable(run.error) ? (
          <p className="small muted">Loopback probe: not available on this server.</p>
        ) : (
          <p className="small error-text" role="alert">
            {errorMessage(run.error)}
          </p>
        )
      ) : null}
    </section>
  );
}

function LoopbackLine({ result }: { result: LoopbackResult }) {
  const now = useNow();
  const t = Date.parse(result.at);
  const ago = Number.isFinite(t) ? formatAge((now - t) / 1000) : '';
  const overlap = result.overlap != null ? `${Math.round(result.overlap * 100)} % of words heard` : null;
  const ms = result.latency_ms != null ? `${Math.round(result.latency_ms)} ms` : null;
  return (
    <div className="stack-tight" data-testid="loopback-result" data-ok={result.ok ? 'true' : 'false'}>
      <p className={result.ok ? 'small ok-text' : 'small error-text'}>
        {result.ok ? 'Passed' : 'FAILED'} {ago}
        {[overlap, ms].filter(Boolean).map((x) => ` · ${x}`)}
        {result.error ? `: ${result.error}` : ''}
      </p>
      <p className="small muted">
        Said “{result.phrase}”, heard {result.heard === null ? 'nothing' : `“${result.heard}”`}.
      </p>
    </div>
  );
}
