// Elapsed vs expected as a bar and a ticking "2:31 / ~5:00".
import type { SwapInfo } from '../../common/api.js';
import { useNow } from '../hooks/useNow.js';
import { swapElapsedS, swapProgress } from '../lib/swap.js';
import { formatApprox, formatClock } from '../lib/time.js';

export function SwapProgress({ swap, receivedAt }: { swap: SwapInfo; receivedAt: number }) {
  const now = useNow();
  const elapsed = swapElapsedS(swap, receivedAt, now);
  const { fraction, overdue } = swapProgress(swap.state, elapsed, swap.expected_s);
  const pct = Math.round(fraction * 100);
  const reading = `${formatClock(elapsed)} / ~${formatClock(swap.expected_s)}`;
  const level = swap.state === 'failed' ? 'danger' : overdue ? 'warn' : 'ok';

  return (
    <div className={`metric metric-${level} swap-progress`} data-testid="swap-progress" data-pct={pct}>
      <div className="metric-head">
        <span className="metric-label">Elapsed / expected</span>
        <span className="metric-value">{reading}</span>
      </div>
      <div
        className="bar swap-bar"
        role="progressbar"
        aria-label="Swap progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={reading}
      >
        <div
          className={`bar-fill${swap.state === 'cancelled' ? ' bar-fill-muted' : ''}`}
          style={{ width: `${pct}%` }}
        />
      </div>
      {overdue ? (
        <p className="small warn-text">
          Taking longer than the expected {formatApprox(swap.expected_s)}; the log below shows what it is
          doing.
        </p>
      ) : null}
    </div>
  );
}
