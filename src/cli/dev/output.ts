import path from 'node:path';

/** Lines for the person at the terminal. */
export function print(...lines: string[]): void {
  process.stdout.write(lines.map((line) => `${line}\n`).join(''));
}

/** A path as short as the current folder allows. */
export function relative(file: string): string {
  const name = path.relative(process.cwd(), file);
  return name.startsWith('..') ? file : name;
}
