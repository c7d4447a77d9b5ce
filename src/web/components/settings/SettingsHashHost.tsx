// Mounted once in App: the settings dialog that #settings opens. The top bar's Settings button can
// open the same dialog by setting location.hash = '#settings'.
import { SettingsDialog } from './SettingsDialog.js';
import { useSettingsHash } from './useSettingsHash.js';

export function SettingsHashHost() {
  const [open, setOpen] = useSettingsHash();
  return <SettingsDialog open={open} onClose={() => setOpen(false)} />;
}
