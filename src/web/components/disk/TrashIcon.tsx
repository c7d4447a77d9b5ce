export function TrashIcon() {
  return (
    <svg width="14" height="16" viewBox="0 0 14 16" aria-hidden="true" fill="none" stroke="currentColor">
      <path d="M1 3.5h12M5 3.5V2h4v1.5M2.5 3.5l.8 10.5h7.4l.8-10.5M5.5 6.5v5M8.5 6.5v5" strokeWidth="1.3" />
    </svg>
  );
}
