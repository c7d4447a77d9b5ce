// The chat request that asks the loaded model to explain the launcher's pending commits. Pure: the
// snapshot in, an OpenAI chat-completions body out. Commit text comes from the cluster's git log;
// it is data inside the user message, clipped, never instructions of ours.
import type { LauncherCommit, UpdatesResponse } from '../../../common/updates-api.js';

/** More commits than this are summarized as "and N more" (a prompt, not a changelog dump). */
export const MAX_PROMPT_COMMITS = 150;
/** A commit subject is cut to this many characters. */
const MAX_SUBJECT = 200;

export const SYSTEM_PROMPT = [
  'You explain pending updates of spark-vllm-docker, the project that builds the vLLM container',
  'image and launches vLLM (solo or as a cluster) on NVIDIA DGX Spark machines. These updates change',
  'only that orchestration project: they are not firmware, operating system or model updates.',
  'The owner is deciding whether to apply them; applying rebuilds the vLLM image (5-40 minutes).',
  'Explain in plain language what the commits change, grouping related ones. Point out anything',
  'that could break a running setup (build changes, new or renamed launch options, a new vLLM',
  'version, removed features) and end with a one-line recommendation. Be brief.',
].join(' ');

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
/** One line per commit; control characters (a hostile subject) become spaces. */
const oneLine = (s: string) => s.replace(/\p{Cc}+/gu, ' ').trim();

export function commitLine(c: LauncherCommit): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(c.date)?.[0] ?? oneLine(c.date);
  return `- ${oneLine(c.sha).slice(0, 12)} ${day} ${oneLine(c.author)}: ${clip(oneLine(c.subject), MAX_SUBJECT)}`;
}

export function userPrompt(s: Pick<UpdatesResponse, 'log' | 'behind' | 'current' | 'branch'>): string {
  const shown = s.log.slice(0, MAX_PROMPT_COMMITS);
  const behind = Math.max(s.behind, s.log.length);
  const where = `${s.current ?? 'an unknown commit'}${s.branch ? ` on branch ${s.branch}` : ''}`;
  const lines = [
    `The checkout is at ${where} and ${behind} commit${behind === 1 ? '' : 's'} behind its origin.`,
    'Pending commits, newest first:',
    ...shown.map(commitLine),
  ];
  if (s.log.length > shown.length) lines.push(`…and ${s.log.length - shown.length} older commits.`);
  return lines.join('\n');
}

export interface ChatRequest {
  model: string;
  messages: { role: 'system' | 'user'; content: string }[];
  stream: true;
}

export function explainRequest(model: string, s: Parameters<typeof userPrompt>[0]): ChatRequest {
  return {
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: userPrompt(s) },
    ],
    stream: true,
  };
}
