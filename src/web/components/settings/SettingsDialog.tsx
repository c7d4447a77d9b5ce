// The settings page (SPEC §1): built by the settings work of issue 14. Opened from the top bar.
export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  if (!open) return null;
  return (
    <div role="dialog" aria-label="Settings">
      <button type="button" className="btn" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
