// What one choice of the fake model "generates", token by token: optional thinking, then either a
// tool call (name, then argument fragments) or content (canned prose, or JSON under guided
// decoding). Every piece is one token: one SSE chunk when streamed, one logprobs entry.
import { randomBytes } from 'node:crypto';
import { schemaInstance } from './json-schema-instance.js';
import { toolList } from './request-checks.js';
import type { ServeSettings } from './serve-plan.js';

type Json = Record<string, unknown>;
export type PieceKind = 'reasoning' | 'content' | 'name' | 'args';
export interface Piece {
  kind: PieceKind;
  text: string;
}
export interface ToolCall {
  id: string;
  name: string;
}
export interface ChoicePlan {
  pieces: Piece[];
  finish: string;
  tool: ToolCall | null;
  /** Named / required tool choice: content "" instead of null next to the call (vLLM does that). */
  forcedTool: boolean;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const words = (text: string): string[] => text.match(/\S+\s*|\s+/g) ?? [];
/** JSON split after each structural character, so a streamed object arrives in small fragments. */
export const jsonPieces = (text: string): string[] => text.match(/[^,:{}[\]]*[,:{}[\]]|[^,:{}[\]]+$/g) ?? [];
/** What the model "says" once its canned reply is used up and max_tokens asks for more. */
const FILLER = words(' It keeps generating, one token at a time, until it reaches max_tokens.');

/** vLLM's tool call ids: `chatcmpl-tool-` + a uuid4 hex (vllm/renderers/chat_utils `make_tool_call_id`). */
export const toolCallId = (): string => `chatcmpl-tool-${randomBytes(16).toString('hex')}`;

export function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (isObj(m) && m.role === 'user') {
      if (typeof m.content === 'string') return m.content;
      if (Array.isArray(m.content)) {
        return m.content.map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : '')).join(' ');
      }
    }
  }
  return '';
}

/**
 * The tool this request makes the model call, or null. Named → that tool; "required" → the first
 * tool; "auto" (with --enable-auto-tool-choice and a parser) → the first tool when the last
 * message is the user's, text otherwise — so an agent loop ends once a tool result comes back.
 */
export function pickTool(
  req: Json,
  s: ServeSettings | undefined,
): { name: string; parameters: unknown; forced: boolean } | null {
  const tools = toolList(req);
  const choice = req.tool_choice;
  if (tools.length === 0 || choice === 'none' || choice === undefined || choice === null) return null;
  if (isObj(choice) && isObj(choice.function)) {
    const t = tools.find((x) => x.name === (choice.function as Json).name);
    return t ? { ...t, forced: true } : null;
  }
  const first = tools[0];
  if (!first) return null;
  if (choice === 'required') return { ...first, forced: true };
  if (!s?.autoToolChoice || !s.toolCallParser) return null;
  const messages = Array.isArray(req.messages) ? req.messages : [];
  const last = messages.at(-1);
  return isObj(last) && last.role === 'user' ? { ...first, forced: false } : null;
}

/** The content under response_format: an instance of the json_schema, or a small JSON object. */
function structuredContent(req: Json, reply: string): string | null {
  const rf = req.response_format;
  if (!isObj(rf)) return null;
  if (rf.type === 'json_schema') {
    const js = isObj(rf.json_schema) ? rf.json_schema : {};
    return JSON.stringify(schemaInstance(js.schema ?? js.json_schema ?? {}));
  }
  if (rf.type === 'json_object') return JSON.stringify({ reply });
  return null;
}

export interface PlanInput {
  kind: 'chat' | 'completion';
  req: Json;
  settings: ServeSettings | undefined;
  reply: string;
  thinking: string | null;
  /** max_tokens / max_completion_tokens, when given. */
  limit: number | undefined;
}

/** One choice's tokens and finish reason. */
export function planChoice(p: PlanInput): ChoicePlan {
  const tool = p.kind === 'chat' ? pickTool(p.req, p.settings) : null;
  const json = tool ? null : structuredContent(p.req, p.reply);
  const pieces: Piece[] = [];
  // With a reasoning parser the thinking is its own field (vllm/reasoning/qwen3_reasoning_parser.py
  // splits at </think>); without one it stays inline in the text (guided decoding leaves no room
  // for it there).
  if (p.thinking && p.settings?.reasoningParser) {
    for (const w of words(p.thinking)) pieces.push({ kind: 'reasoning', text: w });
  }
  let call: ToolCall | null = null;
  let natural: string;
  if (tool) {
    call = { id: toolCallId(), name: tool.name };
    pieces.push({ kind: 'name', text: tool.name });
    for (const a of jsonPieces(JSON.stringify(schemaInstance(tool.parameters)))) {
      pieces.push({ kind: 'args', text: a });
    }
    // OpenAI's rule, kept by vLLM (chat_completion/serving.py, full and stream generators):
    // "tool_calls" for auto/required, "stop" for a named tool.
    natural = tool.forced && p.req.tool_choice !== 'required' ? 'stop' : 'tool_calls';
  } else if (json !== null) {
    for (const j of jsonPieces(json)) pieces.push({ kind: 'content', text: j });
    natural = 'stop';
  } else {
    const inline = p.thinking && !p.settings?.reasoningParser ? `<think>\n${p.thinking}\n</think>\n\n` : '';
    for (const w of words(inline + p.reply)) pieces.push({ kind: 'content', text: w });
    natural = 'stop';
  }
  const plan: ChoicePlan = { pieces, finish: natural, tool: call, forcedTool: tool?.forced ?? false };
  if (p.limit === undefined) return plan;
  // With max_tokens the fake generates exactly that many tokens of prose (benchmarks count on
  // it); structured output and tool calls end where their JSON ends, or are cut off.
  const prose = tool === null && json === null;
  if (prose || pieces.length > p.limit) {
    const cut = pieces.slice(0, p.limit);
    for (let i = 0; cut.length < p.limit; i++)
      cut.push({ kind: 'content', text: FILLER[i % FILLER.length] ?? '' });
    return { ...plan, pieces: cut, finish: 'length' };
  }
  return plan;
}

/** The assembled text of one kind of piece (null when there is none). */
export function joined(plan: ChoicePlan, kind: PieceKind): string | null {
  const parts = plan.pieces.filter((x) => x.kind === kind);
  return parts.length > 0 ? parts.map((x) => x.text).join('') : null;
}
