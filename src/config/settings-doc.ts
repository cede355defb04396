import { defaultOf, SETTINGS, type SettingName } from './settings';

/** The lines of docs/configuration.md between which the table of settings is generated. */
export const SETTINGS_BEGIN = '<!-- settings:begin -->';
export const SETTINGS_END = '<!-- settings:end -->';

// Variable names, `<TASK_QUEUE>-spapi`, the `/metrics` path and the send-hours format read as code.
const CODE = /<[A-Z_]+>-[a-z]+|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\/metrics\b|HH:MM-HH:MM/g;

function markdown(text: string): string {
  return text.replace(CODE, (token) => `\`${token}\``).replaceAll('|', '\\|');
}

/** The table of every setting as markdown, its columns padded the way Prettier pads them. */
export function settingsTable(): string {
  const rows = (Object.keys(SETTINGS) as SettingName[]).map((name) => [
    `\`${name}\``,
    defaultOf(name),
    markdown(SETTINGS[name].help),
  ]);
  const header = ['variable', 'default', 'meaning'];
  const widths = header.map((title, column) => Math.max(3, title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** `doc` with the generated table between its markers; throws when they are missing. */
export function withSettingsTable(doc: string): string {
  const begin = doc.indexOf(`${SETTINGS_BEGIN}\n`);
  const end = doc.indexOf(`\n${SETTINGS_END}`);
  if (begin === -1 || end < begin) throw new Error(`the lines ${SETTINGS_BEGIN} and ${SETTINGS_END} are missing`);
  return `${doc.slice(0, begin + SETTINGS_BEGIN.length + 1)}\n${settingsTable()}\n\n${doc.slice(end + 1)}`;
}
