// Wedge signatures (SPEC §8): the texts a GPU-wedged service answers with. A wedged process keeps
// answering its health route, so only a real inference call's answer shows them; a restart of
// the container is the known cure, which is why a signature (or an HTTP 500) is what allows one.

/** Fixed texts, matched case-sensitively as the CUDA/NVIDIA libraries print them. */
const PLAIN = ['cudaErrorUnknown', 'CUFFT_INTERNAL_ERROR', 'Engine core init failed'];

// `CUBLAS_STATUS_*` is a family (EXECUTION_FAILED, INTERNAL_ERROR, NOT_INITIALIZED, …): the whole
// constant is reported so the card says which one. vLLM words the engine failure two ways.
const FAMILY = /CUBLAS_STATUS_[A-Z_]+/;
const ENGINE = /Engine core initiali[sz]ation failed/;

/** The first wedge signature in `text`, as found there; null when there is none. */
export function wedgeSignature(text: string | null | undefined): string | null {
  if (!text) return null;
  const family = FAMILY.exec(text);
  const plain = PLAIN.map((p) => ({ p, at: text.indexOf(p) })).filter((x) => x.at >= 0);
  const engine = ENGINE.exec(text);
  const hits = [
    ...plain.map((x) => ({ sig: x.p, at: x.at })),
    ...(family ? [{ sig: family[0], at: family.index }] : []),
    ...(engine ? [{ sig: engine[0], at: engine.index }] : []),
  ];
  if (hits.length === 0) return null;
  hits.sort((a, b) => a.at - b.at);
  return hits[0]!.sig;
}
