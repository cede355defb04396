/** One line of a terminal, rewritten in place at most ten times a second unless `now` says it matters. */
export function terminalLine(stream: NodeJS.WriteStream): { show(text: string, now?: boolean): void; clear(): void } {
  let shownAt: number | undefined;
  return {
    show(text, now = false) {
      if (!now && shownAt !== undefined && Date.now() - shownAt < 100) return;
      // A pseudo-terminal may report 0 columns.
      const width = stream.columns || 120;
      stream.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
      shownAt = Date.now();
    },
    clear() {
      if (shownAt !== undefined) stream.write('\r\x1b[2K');
      shownAt = undefined;
    },
  };
}
