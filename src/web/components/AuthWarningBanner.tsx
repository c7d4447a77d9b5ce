import { useState } from 'react';
import { useAuthSession } from '../hooks/authQueries.js';
import { readStoredString, writeStored } from '../hooks/usePersistentState.js';

const DISMISSED_KEY = 'spark-control.auth-warning-dismissed';

/** Login is off and the server listens beyond loopback: say so, and how to turn it on. */
export function AuthWarningBanner() {
  const { data } = useAuthSession();
  const warning = data?.warning ?? null;
  // Dismissed per message, so a different warning (another listen address) shows again.
  const [dismissed, setDismissed] = useState(() => readStoredString(DISMISSED_KEY));
  if (!warning || dismissed === warning) return null;
  return (
    <div className="banner banner-warn banner-row" role="note" data-testid="auth-warning">
      <span>
        <strong>No admin login.</strong> {warning}
      </span>
      <button
        className="btn btn-ghost"
        type="button"
        onClick={() => {
          writeStored(DISMISSED_KEY, warning);
          setDismissed(warning);
        }}
        data-testid="auth-warning-dismiss"
      >
        Dismiss
      </button>
    </div>
  );
}
