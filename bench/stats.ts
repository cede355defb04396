/** Nearest-rank percentile (`p` in 0..100) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The most instants (epoch ms) that fall inside any window of `widthMs`. */
export function peakInWindow(instants: readonly number[], widthMs: number): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= widthMs) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A plain text table: a header row, a rule, the rows; numbers right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[], source: (string | number)[]) =>
    row
      .map((cell, column) =>
        typeof source[column] === 'number' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [
    line(header, header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map((row) => line(row.map(String), row)),
  ].join('\n');
}
