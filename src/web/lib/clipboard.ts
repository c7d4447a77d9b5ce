// Copy text to the clipboard. navigator.clipboard only exists in secure contexts (https or
// localhost); the dashboard is usually opened over plain http on the LAN, so fall back to
// selecting a hidden textarea and `document.execCommand('copy')`.

export async function copyText(text: string): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission denied or document not focused: try the fallback.
    }
  }
  return copyWithTextarea(text);
}

function copyWithTextarea(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.top = '0';
  area.style.left = '0';
  area.style.opacity = '0';
  // Inside an open Radix dialog focus is trapped to the dialog, so attach there when possible.
  const host = document.activeElement?.closest('[role="dialog"]') ?? document.body;
  host.appendChild(area);
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  area.focus();
  area.select();
  let ok: boolean;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  previous?.focus();
  return ok;
}

/** Select an element's text so the user can press Ctrl+C when copying is not allowed. */
export function selectTextOf(el: HTMLElement): void {
  const selection = window.getSelection();
  if (!selection) return;
  const range = document.createRange();
  range.selectNodeContents(el);
  selection.removeAllRanges();
  selection.addRange(range);
}
