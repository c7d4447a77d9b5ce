import type { StreamState } from '../hooks/streamState.js';
import { useMeta } from '../hooks/queries.js';
import { safeHttpUrl } from '../lib/url.js';
import { LiveIndicator } from './LiveIndicator.js';
import { LogoutButton } from './LogoutButton.js';
import { PublicKeyDialog } from './PublicKeyDialog.js';
import { VllmChip } from './VllmChip.js';

export function TopBar({ stream }: { stream: StreamState }) {
  const { data: meta } = useMeta();
  const chatUrl = safeHttpUrl(meta?.open_webui_url);

  return (
    <header className="topbar">
      <div className="topbar-left">
        <h1 className="brand">Spark Control</h1>
        {meta?.version ? <span className="muted small">v{meta.version}</span> : null}
        <VllmChip />
        <LiveIndicator state={stream} />
      </div>
      <nav className="topbar-right" aria-label="Cluster actions">
        {chatUrl ? (
          <a className="btn" href={chatUrl} target="_blank" rel="noopener noreferrer" data-testid="open-chat">
            Open chat ↗
          </a>
        ) : null}
        <PublicKeyDialog />
        <LogoutButton />
      </nav>
    </header>
  );
}
