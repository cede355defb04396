import { UsageError } from '../errors';

/**
 * The `--query` guard (docs/spec.md, "CLI"). An operator's list filter is put inside parentheses after the
 * product's own conditions, so it can only narrow them, provided the server reads the filter's
 * parentheses the way the wrap assumes. The filter is therefore tokenized the way Temporal's SQL-like
 * lexer reads it, and refused (bad input, exit code 2) when a `)` would close the wrap early, a `(` or a
 * quote is left open, or it holds anything the two readings could disagree on:
 * - strings in '...' or "...": a backslash escapes the next character, a doubled quote is a quote;
 * - identifiers in backticks (`AmazonSellerId`), without backslashes or backticks inside;
 * - no comments (`--`, `#`, `/* *\/`), which the server honours and which could hide a quote or a
 *   parenthesis from this reading, and no `;`;
 * - outside quotes, only what a filter is made of: words, numbers, whitespace, `= != < > <= >= , . - + :`.
 */
export function guardFilter(filter: string): string {
  let depth = 0;
  const opened: number[] = [];
  for (let index = 0; index < filter.length; index += 1) {
    const char = filter[index]!;
    const column = index + 1;
    if (char === "'" || char === '"') {
      index = endOfString(filter, index);
    } else if (char === '`') {
      index = endOfIdentifier(filter, index);
    } else if (char === '(') {
      depth += 1;
      opened.push(column);
    } else if (char === ')') {
      if (depth === 0) refuse(`')' at column ${column} closes a parenthesis the filter did not open`);
      depth -= 1;
      opened.pop();
    } else if (filter.startsWith('--', index) || filter.startsWith('/*', index) || char === '#') {
      refuse(`comments are not allowed (column ${column})`);
    } else if (!ALLOWED_OUTSIDE_QUOTES.test(char)) {
      refuse(`${JSON.stringify(char)} at column ${column} is not allowed outside quotes`);
    }
  }
  if (depth > 0) refuse(`'(' at column ${opened[opened.length - 1] ?? 0} is never closed`);
  return filter;
}

const ALLOWED_OUTSIDE_QUOTES = /^[\p{L}\p{N}_\s=!<>,.+:-]$/u;

/** The index of the quote that closes the string opening at `start`. */
function endOfString(filter: string, start: number): number {
  const quote = filter[start];
  for (let index = start + 1; index < filter.length; index += 1) {
    const char = filter[index];
    if (char === '\\') {
      index += 1;
    } else if (char === quote) {
      if (filter[index + 1] !== quote) return index;
      index += 1;
    }
  }
  return refuse(`the string opened at column ${start + 1} is never closed (missing ${quote})`);
}

/** The index of the backtick that closes the identifier opening at `start`. */
function endOfIdentifier(filter: string, start: number): number {
  const end = filter.indexOf('`', start + 1);
  if (end < 0) refuse(`the name quoted at column ${start + 1} is never closed (missing \`)`);
  if (filter.slice(start + 1, end).includes('\\') || filter[end + 1] === '`') {
    refuse(`the name quoted at column ${start + 1} may not hold a backslash or a backtick`);
  }
  return end;
}

function refuse(why: string): never {
  throw new UsageError(`bad list filter: ${why}`);
}
