// Compact plain-text tables: columns as wide as their widest cell, two spaces apart, no borders
// (easy to read in a terminal and to cut with awk). Cells are made single-line: a server value
// with a line break or a control character must not break the table or drive the terminal.

export type Cell = string | number | null | undefined;

/** One line of printable text: control characters (ESC, CR, LF, …) become spaces. */
export function cleanCell(value: Cell): string {
  if (value === null || value === undefined || value === '') return '-';
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

/** Lines of a table with a header row; the last column is not padded (no trailing spaces). */
export function table(header: string[], rows: Cell[][]): string[] {
  const cells = [header, ...rows.map((r) => header.map((_, i) => cleanCell(r[i])))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length)))
      .join('  ')
      .trimEnd(),
  );
}
