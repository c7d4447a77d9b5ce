// Log-probabilities in the shapes vLLM returns them. The numbers are made up but deterministic
// (the sampled token is always the most likely one, alternatives trail it).
//   chat:        {"content": [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}…]}]}
//                (vllm/entrypoints/openai/chat_completion/protocol.py ChatCompletionLogProbs;
//                 top_logprobs has exactly `top_logprobs` entries, serving.py `_create_chat_logprobs`)
//   completions: {text_offset, token_logprobs, tokens, top_logprobs: [{token: logprob}…]}
//                (vllm/entrypoints/openai/completion/protocol.py CompletionLogProbs; each dict holds
//                 the top `logprobs` tokens, the sampled one included)

const ALTERNATIVES = [' the', ' a', ',', '.', ' and', ' to', ' of', ' in', ' is', ' it'];

const bytesOf = (token: string): number[] => [...Buffer.from(token, 'utf8')];
const round = (n: number): number => Math.round(n * 1e4) / 1e4;

/** The sampled token's logprob at position `i` (never above 0, small for a confident model). */
const sampled = (i: number): number => round(-0.002 - ((i * 37) % 11) * 0.031);

/** Alternatives for position `i`: distinct from the token, each less likely than the one before. */
function alternatives(token: string, i: number, count: number): { token: string; logprob: number }[] {
  const out: { token: string; logprob: number }[] = [];
  for (let k = 0; out.length < count && k < ALTERNATIVES.length * 2; k++) {
    const alt = ALTERNATIVES[(i + k) % ALTERNATIVES.length] ?? ' the';
    const candidate = k >= ALTERNATIVES.length ? `${alt}${k}` : alt;
    if (candidate === token || out.some((o) => o.token === candidate)) continue;
    out.push({ token: candidate, logprob: round(sampled(i) - 2.5 - out.length * 1.25) });
  }
  return out;
}

export interface ChatLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

/** Chat entries for tokens starting at position `from` of the choice; `top` = top_logprobs. */
export function chatLogprobs(tokens: string[], top: number, from = 0): { content: ChatLogprob[] } {
  return {
    content: tokens.map((token, j) => {
      const i = from + j;
      const lp = sampled(i);
      const ranked = [{ token, logprob: lp }, ...alternatives(token, i, Math.max(0, top - 1))];
      return {
        token,
        logprob: lp,
        bytes: bytesOf(token),
        top_logprobs: ranked.slice(0, Math.max(0, top)).map((r) => ({ ...r, bytes: bytesOf(r.token) })),
      };
    }),
  };
}

export interface CompletionLogprobs {
  text_offset: number[];
  token_logprobs: number[];
  tokens: string[];
  top_logprobs: Record<string, number>[];
}

/** Completion logprobs for tokens at position `from`, whose text starts at character `offset`. */
export function completionLogprobs(tokens: string[], top: number, from = 0, offset = 0): CompletionLogprobs {
  const out: CompletionLogprobs = { text_offset: [], token_logprobs: [], tokens: [], top_logprobs: [] };
  let at = offset;
  tokens.forEach((token, j) => {
    const i = from + j;
    out.text_offset.push(at);
    out.token_logprobs.push(sampled(i));
    out.tokens.push(token);
    const dict: Record<string, number> = { [token]: sampled(i) };
    for (const alt of alternatives(token, i, Math.max(0, top - 1))) dict[alt.token] = alt.logprob;
    out.top_logprobs.push(dict);
    at += token.length;
  });
  return out;
}
