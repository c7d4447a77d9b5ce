// A release handed to a caller may be called from several exits (finally, abort, error paths): only
// the first call gives the slot back, so a count can never be returned twice.
export function releaseOnce(release: () => void): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}
