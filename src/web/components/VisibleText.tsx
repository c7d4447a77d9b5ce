// Renders text with every invisible character as a visible, highlighted escape (lib/visibleText).
import { visibleSegments } from '../lib/visibleText.js';

export function VisibleText({ text, multiline = false }: { text: string; multiline?: boolean }) {
  const segments = visibleSegments(text, multiline);
  if (segments.length === 1 && !segments[0]!.hidden) return <>{text}</>;
  return (
    <>
      {segments.map((s, i) =>
        s.hidden ? (
          <span key={i} className="nonprint" title={`${s.code} (invisible character)`}>
            {s.text}
          </span>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
