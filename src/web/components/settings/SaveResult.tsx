// What a save did (changed, applied live, backup) and, when a change waits for one, the restart:
// POST /api/restart, then wait until the server answers again and reload everything.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ConfigSaved } from '../../../common/config-api.js';
import { errorMessage } from '../../api/client.js';
import { requestRestart, waitForRestart } from '../../api/config.js';
import { useStreamState } from '../../hooks/streamState.js';

const list = (keys: string[]) => (keys.length === 0 ? 'nothing' : keys.join(', '));

export function SaveResult({ saved }: { saved: ConfigSaved }) {
  const waiting = saved.changed.filter((k) => !saved.applied.includes(k));
  return (
    <div className="banner settings-saved" role="status" data-testid="settings-saved">
      {saved.changed.length === 0 ? (
        <p>
          <strong>Saved.</strong> Nothing changed.
        </p>
      ) : (
        <>
          <p>
            <strong>Saved.</strong> Changed: <span data-testid="settings-changed">{list(saved.changed)}</span>
            .
          </p>
          <p className="small">
            Applied now: <span data-testid="settings-applied">{list(saved.applied)}</span>.
            {waiting.length > 0 ? (
              <>
                {' '}
                Waiting for a restart: <span data-testid="settings-waiting">{list(waiting)}</span>.
              </>
            ) : null}
          </p>
        </>
      )}
      {saved.backup ? (
        <p className="small muted">
          The previous file is kept at <code>{saved.backup}</code>.
        </p>
      ) : null}
    </div>
  );
}

export function RestartPanel({ onBack }: { onBack: () => Promise<unknown> }) {
  const client = useQueryClient();
  const stream = useStreamState();
  const restart = useMutation({
    mutationFn: async () => {
      await requestRestart();
      await waitForRestart();
      // Everything on the page may differ now (nodes, services, cluster name).
      await client.invalidateQueries();
      await onBack();
    },
  });
  return (
    <div className="banner banner-warn settings-restart" data-testid="settings-restart-panel">
      <p>
        {restart.isPending
          ? stream === 'restarting'
            ? 'Spark Control is restarting…'
            : 'Restarting — waiting for the server to come back…'
          : 'Some saved changes take effect after a restart of Spark Control.'}
      </p>
      {restart.error ? (
        <p className="error-text small" role="alert">
          Restart failed: {errorMessage(restart.error)}
        </p>
      ) : null}
      <button
        type="button"
        className="btn btn-primary"
        disabled={restart.isPending}
        data-testid="settings-restart"
        onClick={() => restart.mutate()}
      >
        {restart.isPending ? 'Restarting…' : 'Restart now'}
      </button>
    </div>
  );
}
