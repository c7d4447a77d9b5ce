// Text in a monospace box with a Copy button; clicking the text copies it too.
import { useRef } from 'react';
import { useCopy } from '../hooks/useCopy.js';
import { selectTextOf } from '../lib/clipboard.js';

interface CopyBoxProps {
  text: string;
  /** Accessible name of the copy button, e.g. "Copy public key". */
  label: string;
  testId?: string;
}

export function CopyBox({ text, label, testId }: CopyBoxProps) {
  const { state, copy } = useCopy();
  const textRef = useRef<HTMLPreElement>(null);

  const onCopy = async () => {
    const ok = await copy(text);
    if (!ok && textRef.current) selectTextOf(textRef.current);
  };

  return (
    <div className="copy-box" data-testid={testId}>
      <pre ref={textRef} className="copy-box-text" title="Click to copy" onClick={() => void onCopy()}>
        {text}
      </pre>
      <div className="copy-box-side">
        <button
          type="button"
          className={state === 'copied' ? 'btn btn-ok' : 'btn'}
          aria-label={label}
          onClick={() => void onCopy()}
        >
          {state === 'copied' ? 'Copied' : 'Copy'}
        </button>
        <span className="copy-box-status" role="status">
          {state === 'failed' ? 'Copy blocked by the browser: text selected, press Ctrl+C' : ''}
        </span>
      </div>
    </div>
  );
}
