// A dialog that a link can open: `#settings` in the address opens it (on load and whenever the hash
// changes to it); closing it removes the hash so the same link opens it again.
import { useCallback, useEffect, useState } from 'react';

export function useHashDialog(hash: string): [open: boolean, setOpen: (open: boolean) => void] {
  const [open, setOpenState] = useState(() => window.location.hash === hash);
  useEffect(() => {
    const onHash = () => {
      if (window.location.hash === hash) setOpenState(true);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [hash]);
  const setOpen = useCallback(
    (next: boolean) => {
      setOpenState(next);
      if (!next && window.location.hash === hash) {
        // replaceState: closing the dialog is not a step the Back button should undo.
        window.history.replaceState(null, '', window.location.pathname + window.location.search);
      }
    },
    [hash],
  );
  return [open, setOpen];
}
