import type { StreamState } from '../hooks/streamState.js';
import { useMeta } from '../hooks/queries.js';
import { useHashDialog } from '../hooks/useHashDialog.js';
import { safeHttpUrl } from '../lib/url.js';
import { ConnectivityDialog } from './connectivity/ConnectivityDialog.js';
import { LiveIndicator } from './LiveIndicator.js';
import { LogoutButton } from './LogoutButton.js';
import { PublicKeyDialog } from './PublicKeyDialog.js';
import { SettingsDialog } from './settings/SettingsDialog.js';
import { VllmChip } from './VllmChip.js';

export function TopBar({ stream }: { stream: StreamState }) {
  const { data: meta } = useMeta();
  const chatUrl = safeHttpUrl(meta?.open_webui_url);
  const [settingsOpen, setSettingsOpen] = useHashDialog('#settings');

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
        <button
          type="button"
          className="btn"
          data-testid="open-settings"
          aria-haspopup="dialog"
          onClick={() => setSettingsOpen(true)}
        >
          Settings
        </button>
        <ConnectivityDialog />
        <PublicKeyDialog />
        <LogoutButton />
      </nav>
      <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </header>
  );
}
