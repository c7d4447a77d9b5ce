// The "Add node / service / API key / webhook" button under a list of rows: off when an
// environment variable sets the whole list (the page cannot change it).
export function AddRowButton({
  label,
  testId,
  envVar,
  onAdd,
}: {
  label: string;
  testId: string;
  envVar: string | undefined;
  onAdd: () => void;
}) {
  return (
    <div className="button-row">
      <button
        type="button"
        className="btn"
        disabled={envVar !== undefined}
        onClick={onAdd}
        data-testid={testId}
      >
        {label}
      </button>
    </div>
  );
}
