// The launcher updates banner on the LLM tab (SPEC §13): shown when spark-vllm-docker has pending
// commits or the last update failed or still runs. Says plainly what these updates are (and are
// not), lists the commits, and offers Check now, Explain, Apply and — after a failure — Roll back.
import { useState } from 'react';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { UpdatesResponse } from '../../../common/updates-api.js';
import { useConfirmedMutation } from '../../hooks/useConfirmedMutation.js';
import { useNow } from '../../hooks/useNow.js';
import { formatWhen } from '../../lib/time.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { ApplyDialog } from './ApplyDialog.js';
import { ExplainPanel } from './ExplainPanel.js';
import { UpdateJob } from './UpdateJob.js';
import { checkUpdates, refreshUpdates, rollbackUpdate, updatesKey, useUpdates } from './updatesApi.js';
import { bannerHeadline, lastResultLine, showBanner } from './updatesView.js';

export function UpdatesBanner() {
  const { data } = useUpdates();
  if (!data) return null;
  return showBanner(data) ? <Banner u={data} /> : <QuietLine u={data} />;
}

/** Nothing pending: one quiet line (where the launcher is, the last result) with Check now. */
function QuietLine({ u }: { u: UpdatesResponse }) {
  const qc = useQueryClient();
  const now = useNow();
  const check = useCheck(qc);
  const state = u.ok
    ? `up to date${u.current ? ` at ${u.current}` : ''}`
    : `not checked: ${u.error ?? 'the check failed'}`;
  return (
    <p className="small muted updates-quiet" data-testid="updates-quiet">
      spark-vllm-docker (the vLLM orchestration project): {state}
      {u.checked_at ? `, checked ${formatWhen(u.checked_at, now)}` : ''}.{' '}
      {u.last ? (
        <span data-testid="updates-last" data-state={u.last.state}>
          {lastResultLine(u.last, now)}{' '}
        </span>
      ) : null}
      <CheckNowButton u={u} check={check} className="btn btn-ghost" />
      {check.error ? <span className="error-text"> {check.error.message}</span> : null}
    </p>
  );
}

/** "Check now": busy while the server's check or ours runs (the quiet line and the banner both show it). */
function CheckNowButton({
  u,
  check,
  className,
}: {
  u: UpdatesResponse;
  check: ReturnType<typeof useCheck>;
  className: string;
}) {
  const busy = u.checking || check.isPending;
  return (
    <button
      type="button"
      className={className}
      disabled={busy}
      onClick={() => check.mutate()}
      data-testid="updates-check"
    >
      {busy ? 'Checking…' : 'Check now'}
    </button>
  );
}

function useCheck(qc: QueryClient) {
  return useMutation({
    mutationFn: checkUpdates,
    // invalidateQueries never rejects (a failed refetch becomes the query's error state).
    onSuccess: (next) => (next ? qc.setQueryData(updatesKey, next) : void refreshUpdates(qc)),
  });
}

function Banner({ u }: { u: UpdatesResponse }) {
  const qc = useQueryClient();
  const [explaining, setExplaining] = useState(false);
  // invalidateQueries never rejects (a failed refetch becomes the query's error state).
  const refresh = () => void refreshUpdates(qc);
  const check = useCheck(qc);
  const rollback = useConfirmedMutation({ mutationFn: rollbackUpdate, onSuccess: refresh });
  const running = u.last?.state === 'running' ? u.last : null;
  const now = useNow();
  return (
    <section
      className={`banner ${u.last?.state === 'failed' ? 'banner-warn' : 'banner-info'} stack-tight`}
      aria-label="Launcher updates"
      data-testid="updates-banner"
    >
      <div className="banner-row">
        <span data-testid="updates-headline">
          {u.ok && u.behind > 0 ? (
            <strong>{bannerHeadline(u.behind)}</strong>
          ) : (
            <strong>
              spark-vllm-docker — the vLLM orchestration project — is up to date; its last update needs a
              look.
            </strong>
          )}
        </span>
        <div className="button-row">
          <CheckNowButton u={u} check={check} className="btn" />
          {u.log.length > 0 ? (
            <button
              type="button"
              className="btn"
              disabled={explaining}
              onClick={() => setExplaining(true)}
              data-testid="updates-explain"
            >
              Explain
            </button>
          ) : null}
          {u.behind > 0 ? <ApplyDialog updates={u} disabled={running !== null} onStarted={refresh} /> : null}
          {u.rollback_available && !running ? (
            <button
              type="button"
              className="btn btn-danger"
              onClick={rollback.ask}
              data-testid="updates-rollback"
            >
              Roll back…
            </button>
          ) : null}
        </div>
      </div>
      {check.error ? (
        <p className="error-text small" role="alert">
          {check.error.message}
        </p>
      ) : null}
      {!u.ok && u.error ? <p className="error-text small">The last check failed: {u.error}</p> : null}
      {u.log.length > 0 ? <Commits u={u} now={now} /> : null}
      {u.dirty ? (
        <p className="small warn-text" data-testid="updates-dirty">
          The launcher checkout on the head node has local changes: an update is blocked until they are
          committed or discarded.
        </p>
      ) : null}
      {explaining ? <ExplainPanel onClose={() => setExplaining(false)} /> : null}
      {/* Once it ends the checkout moved: check again rather than show the counts from before. */}
      {running ? <UpdateJob record={running} onEnd={() => check.mutate()} /> : null}
      {u.last && !running ? (
        <p className="small" data-testid="updates-last" data-state={u.last.state}>
          {lastResultLine(u.last, now)}
        </p>
      ) : null}
      <ConfirmDialog
        {...rollback.dialog}
        title="Roll back the launcher?"
        confirmLabel="Roll back"
        danger
        testId="rollback-dialog"
      >
        <p>
          Resets the launcher checkout to commit{' '}
          <span className="mono">{u.last?.from_commit.slice(0, 12)}</span> (git reset --hard) and makes the
          image kept before the update (vllm-node:rollback) the vLLM image again on every vLLM node. Model
          switches are refused while it runs; the model loaded now keeps running.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function Commits({ u, now }: { u: UpdatesResponse; now: number }) {
  return (
    <details className="disclosure" data-testid="updates-details">
      <summary>
        {u.log.length} pending commit{u.log.length === 1 ? '' : 's'}
        {u.branch ? ` on ${u.branch}` : ''}
        {u.current ? ` (now at ${u.current})` : ''}
        {u.checked_at ? ` · checked ${formatWhen(u.checked_at, now)}` : ''}
      </summary>
      <ul className="updates-commits small">
        {u.log.map((c) => (
          <li key={c.sha} data-testid="updates-commit">
            <span className="mono">{c.sha.slice(0, 7)}</span> {c.subject}{' '}
            <span className="muted">
              — {c.author}, {formatWhen(c.date, now)}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
