// Secrets never reach a log line: every line a NIM install writes (remote output included) passes
// through a redactor built from the secrets in play — the NGC key as given, and the base64 forms
// docker itself derives from it (`$oauthtoken:<key>` in ~/.docker/config.json), in case a tool
// echoes them.
const MASK = '[redacted]';

export type Redactor = (line: string) => string;

export function redactor(secrets: readonly (string | null | undefined)[]): Redactor {
  const needles = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    needles.add(s);
    needles.add(Buffer.from(s).toString('base64').replace(/=+$/, ''));
    needles.add(Buffer.from(`$oauthtoken:${s}`).toString('base64').replace(/=+$/, ''));
  }
  // Longest first, so a secret containing another is masked whole.
  const list = [...needles].sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const n of list) if (out.includes(n)) out = out.split(n).join(MASK);
    return out;
  };
}
