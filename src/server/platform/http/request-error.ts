// What went wrong with an outgoing undici request, as the code of the error underneath: undici
// wraps the socket's error (ECONNREFUSED, ECONNRESET, …) as `cause` of its own UND_ERR_SOCKET.

/** The socket or undici error code of a failed request; undefined when none is set. */
export function requestErrorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
