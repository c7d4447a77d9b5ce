// One swap: what it does, its state, progress, the outcome, and the live log.
import { useEffect, useRef, useState } from 'react';
import type { SwapInfo } from '../../common/api.js';
import { clearSwapFocus, useRequestedSwapFocus } from '../hooks/swapFocus.js';
import { useSwapLog } from '../hooks/useSwapLog.js';
import { isSwapRunning, joinNames, swapHeadline } from '../lib/swap.js';
import { formatClock, formatWhen, formatWhenPrecise, localizeTimes } from '../lib/time.js';
import { SwapCancelButton } from './SwapCancelButton.js';
import { SwapLog } from './SwapLog.js';
import { SwapProgress } from './SwapProgress.js';
import { VisibleText } from './VisibleText.js';

interface Props {
  swap: SwapInfo;
  receivedAt: number;
  onDismiss: () => void;
}

export function SwapPanelBody({ swap, receivedAt, onDismiss }: Props) {
  const running = isSwapRunning(swap);
  const stream = useSwapLog(swap.id, running);
  const head = swapHeadline(swap);
  const ref = useRef<HTMLElement>(null);
  const focusId = useRequestedSwapFocus();

  // The owner just clicked Switch somewhere below: bring this panel (and its progress) into view.
  useEffect(() => {
    if (focusId !== swap.id) return;
    ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    ref.current?.focus({ preventScroll: true });
    clearSwapFocus(swap.id);
  }, [focusId, swap.id]);

  return (
    <section
      ref={ref}
      tabIndex={-1}
      id="swap-panel"
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
            <span className={`pill ${head.tone}`} data-testid="swap-state">
              {head.state}
            </span>
            {head.phase ? (
              <span className="small muted" data-testid="swap-phase">
                {head.phase}
              </span>
            ) : null}
          </div>
          <div className="card-sub">
            <span className="mono">{swap.model}</span>
            <span>on {joinNames(swap.nodes)}</span>
            {swap.previous_model ? <span>replacing {swap.previous_model}</span> : null}
            {swap.holder ? <span>started by {swap.holder}</span> : null}
            <SwapTimes swap={swap} />
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

/** "started 14:05 · finished 14:09", in the browser's time zone. */
function SwapTimes({ swap }: { swap: SwapInfo }) {
  // Only decides "today" or not; the times themselves do not tick.
  const [now] = useState(() => Date.now());
  return (
    <>
      <span data-testid="swap-started" title={formatWhenPrecise(swap.started_at, now)}>
        started {formatWhen(swap.started_at, now)}
      </span>
      {swap.finished_at ? (
        <span data-testid="swap-finished" title={formatWhenPrecise(swap.finished_at, now)}>
          finished {formatWhen(swap.finished_at, now)}
        </span>
      ) : null}
    </>
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
          {swap.error ? <LocalText text={swap.error} /> : 'The switch failed; the log below shows why.'}
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

function LocalText({ text }: { text: string }) {
  const [now] = useState(() => Date.now());
  return <VisibleText text={localizeTimes(text, now)} />;
}
