// Opens the settings when the address ends in #settings (a bookmark, a link from the docs, the
// browser tests), and takes the hash off again when the dialog closes.
import { useCallback, useEffect, useState } from 'react';

export const SETTINGS_HASH = '#settings';

export function useSettingsHash(): [open: boolean, setOpen: (open: boolean) => void] {
  const [open, setOpenState] = useState(() => window.location.hash === SETTINGS_HASH);

  useEffect(() => {
    const onHash = () => setOpenState(window.location.hash === SETTINGS_HASH);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const setOpen = useCallback((next: boolean) => {
    setOpenState(next);
    const { pathname, search, hash } = window.location;
    // replaceState: opening and closing a dialog is not a page the Back button should revisit.
    if (next && hash !== SETTINGS_HASH)
      history.replaceState(null, '', `${pathname}${search}${SETTINGS_HASH}`);
    if (!next && hash === SETTINGS_HASH) history.replaceState(null, '', `${pathname}${search}`);
  }, []);

  return [open, setOpen];
}
