// The settings page (SPEC §1, issue 14), opened from the top bar: every setting, saved to the
// config file; what a save changed, and a restart when a change needs one. The page itself (and
// the YAML parser it uses) loads on first open, keeping it out of the dashboard's first download.
import { lazy, Suspense } from 'react';
import { Modal } from '../Modal.js';
import './settings.css';

const SettingsBody = lazy(() => import('./SettingsBody.js'));

export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal
      open={open}
      onOpenChange={(o) => (o ? undefined : onClose())}
      title="Settings"
      description="Everything in the config file. Settings from environment variables are read-only here."
      testId="settings-dialog"
      wide
    >
      {open ? (
        <Suspense fallback={<p className="muted">Loading the settings…</p>}>
          <SettingsBody />
        </Suspense>
      ) : null}
    </Modal>
  );
}
