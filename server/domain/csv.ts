// CSV files people open in a spreadsheet (HR exports, personal archives): RFC 4180 quoting, CRLF lines, and a cell
// that looks like a formula (=, +, -, @) prefixed with ' so the spreadsheet shows it as text (CSV injection).
export function csvTable(header: string[], rows: string[][]): string {
  const cell = (v: string) => {
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
