// One swap: what it does, its state, progress, the outcome, and the live log.
import type { SwapInfo, SwapState } from '../../common/api.js';
import { useSwapLog } from '../hooks/useSwapLog.js';
import { isSwapRunning, joinNames } from '../lib/swap.js';
import { formatClock } from '../lib/time.js';
import { SwapCancelButton } from './SwapCancelButton.js';
import { SwapLog } from './SwapLog.js';
import { SwapProgress } from './SwapProgress.js';
import { VisibleText } from './VisibleText.js';

const TONE: Record<SwapState, string> = {
  pending: 'pill-info',
  stopping: 'pill-info',
  launching: 'pill-info',
  loading: 'pill-info',
  ready: 'pill-ok',
  failed: 'pill-danger',
  cancelled: 'pill-muted',
};

interface Props {
  swap: SwapInfo;
  receivedAt: number;
  onDismiss: () => void;
}

export function SwapPanelBody({ swap, receivedAt, onDismiss }: Props) {
  const running = isSwapRunning(swap);
  const stream = useSwapLog(swap.id, running);
  const phase = (running ? stream.phase : null) ?? swap.phase;

  return (
    <section
      className={`card swap-panel swap-${swap.state}`}
      data-testid="swap-panel"
      data-state={swap.state}
      aria-label="Model swap"
    >
      <header className="swap-head">
        <div className="swap-title-block">
          <div className="card-title-row">
            <h2 className="swap-title">
              {running ? 'Switching to ' : 'Switch to '}
              {swap.display_name}
            </h2>
            <span className={`pill ${TONE[swap.state]}`} data-testid="swap-state">
              {swap.state}
            </span>
            {phase && phase !== swap.state ? <span className="small muted">{phase}</span> : null}
          </div>
          <div className="card-sub">
            <span className="mono">{swap.model}</span>
            <span>on {joinNames(swap.nodes)}</span>
            {swap.previous_model ? <span>replacing {swap.previous_model}</span> : null}
            {swap.holder ? <span>started by {swap.holder}</span> : null}
          </div>
        </div>
        <div className="button-row">
          {running ? (
            <SwapCancelButton swap={swap} />
          ) : (
            <button type="button" className="btn" data-testid="swap-dismiss" onClick={onDismiss}>
              Dismiss
            </button>
          )}
        </div>
      </header>
      <div className="swap-body">
        <SwapProgress swap={swap} receivedAt={receivedAt} />
        <Outcome swap={swap} />
        <SwapLog log={stream.log} fallback={swap.log_tail} streamState={stream.state} />
        {swap.launch_cmd ? (
          <details className="disclosure">
            <summary>Launch command</summary>
            <pre className="mono-block">
              <VisibleText text={swap.launch_cmd} />
            </pre>
          </details>
        ) : null}
      </div>
    </section>
  );
}

function Outcome({ swap }: { swap: SwapInfo }) {
  const took = formatClock(swap.elapsed_s);
  switch (swap.state) {
    case 'ready':
      return (
        <p className="ok-box" role="status">
          {swap.display_name} is loaded and serving. The switch took {took}.
        </p>
      );
    case 'failed':
      return (
        <p className="error-box" role="alert" data-testid="swap-error">
          {swap.error ? <VisibleText text={swap.error} /> : 'The switch failed; the log below shows why.'}
        </p>
      );
    case 'cancelled':
      return (
        <p className="note-box" role="status">
          Cancelled after {took}. No model is served until you start another switch.
        </p>
      );
    default:
      return null;
  }
}
