// CSV for the charts' "Download CSV" buttons (RFC 4180): a chart's data is
// one Table — the same rows draw the chart, fill its screen-reader table and
// make its CSV, so the file holds exactly what the chart shows.

export type Cell = string | number | null | undefined;
export type Table = { columns: string[]; rows: Cell[][] };

// csvCell quotes a field holding a comma, a quote or a line break, doubling
// its quotes. A text cell starting with = + - @ or a tab is prefixed with '
// so a spreadsheet opening the file does not run it as a formula (OWASP's
// CSV injection advice); numbers are written as they are, negative ones
// included. null, undefined and NaN are empty cells.
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// toCSV is the table as CSV text: a header row, then one line per row,
// CRLF-terminated as RFC 4180 says. A row shorter than the header is padded
// with empty cells.
export function toCSV(t: Table): string {
  const line = (cells: Cell[]) => t.columns.map((_, i) => csvCell(cells[i])).join(',') + '\r\n';
  return line(t.columns) + t.rows.map(line).join('');
}

// csvName makes a file name from a chart's title: lower-case words joined by
// dashes, ".csv" at the end.
export function csvName(title: string): string {
  const base = title.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  return `${base || 'chart'}.csv`;
}

// downloadCSV hands the table to the browser as a file download.
export function downloadCSV(t: Table, fileName: string) {
  const url = URL.createObjectURL(new Blob([toCSV(t)], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
