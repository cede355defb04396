import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { defaultOf, SETTINGS, settingsSchema, type SettingName } from '../../../src/config/settings';
import { settingsTable, withSettingsTable } from '../../../src/config/settings-doc';
import { environment } from '../../../src/cli/environment';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const NAMES = Object.keys(SETTINGS) as SettingName[];
/** The first word of every setting (`TEMPORAL`, `SPAPI`, ...): a name that starts so and is no setting is a mistake. */
const PREFIXES = new Set(NAMES.map((name) => name.split('_')[0]!));
const SETTING_LIKE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b\*?/g;

function settingOf(variable: string): SettingName | undefined {
  if (Object.hasOwn(SETTINGS, variable)) return variable as SettingName;
  return NAMES.find((name) => name.endsWith('*') && variable.startsWith(name.slice(0, -1)));
}

/** Names in `text` that look like one of the product's settings and are not in the table. */
function unknownSettingNames(where: string, text: string): string[] {
  return [...new Set(text.match(SETTING_LIKE) ?? [])]
    .filter((name) => PREFIXES.has(name.split('_')[0]!) && settingOf(name) === undefined)
    .map((name) => `${where}: ${name} is not in src/config/settings.ts`);
}

/** The default as a value (`1`, `info`), when the table has one; undefined for a default in words. */
function defaultValue(name: SettingName): string | undefined {
  return /^`([^`]*)`$/.exec(defaultOf(name))?.[1];
}

/**
 * A deploy file's `NAME: value` lines against the table: the name is a setting; a value the product parses
 * parses; a default compose interpolates (`${NAME:-default}`) is the table's; a comment on the line is
 * the table's help; every name its comments mention is a setting.
 */
function deployFileFindings(file: string, text: string): string[] {
  const findings: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const where = `${file}:${index + 1}`;
    const comment = /(?:^|\s)#\s?(.*)$/.exec(line)?.[1];
    if (comment !== undefined) findings.push(...unknownSettingNames(where, comment));
    const setting = /^\s*(?:- name:\s*)?([A-Z][A-Z0-9_]+):?\s*(.*?)\s*(?:#.*)?$/.exec(line);
    if (setting === null || !PREFIXES.has(setting[1]!.split('_')[0]!)) continue;
    const [, variable, rawValue] = setting as unknown as [string, string, string];
    const name = settingOf(variable);
    if (name === undefined) {
      findings.push(`${where}: ${variable} is not in src/config/settings.ts`);
      continue;
    }
    if (comment !== undefined && comment !== SETTINGS[name].help) {
      findings.push(`${where}: the comment on ${variable} says '${comment}', the table '${SETTINGS[name].help}'`);
    }
    const value = rawValue.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
    const interpolated = /^\$\{([A-Z0-9_]+)(?::-(.*))?\}$/.exec(value);
    if (interpolated) {
      const fallback = interpolated[2];
      if (fallback !== undefined && fallback !== '' && fallback !== defaultValue(name)) {
        findings.push(
          `${where}: ${variable} defaults to '${fallback}' here, to ${defaultOf(name)} in src/config/settings.ts`,
        );
      }
      continue;
    }
    const { schema } = SETTINGS[name] as { schema?: unknown };
    if (value === '' || schema === undefined) continue;
    const parsed = settingsSchema(name as Parameters<typeof settingsSchema>[0]).safeParse({ [name]: value });
    if (!parsed.success) findings.push(`${where}: ${variable}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return findings;
}

const kubernetesFiles = readdirSync(path.join(ROOT, 'deploy', 'kubernetes'))
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => `deploy/kubernetes/${file}`);

describe('the table of settings (src/config/settings.ts)', () => {
  it('is what docs/configuration.md shows between its markers (npm run docs:settings writes it)', () => {
    const doc = read('docs/configuration.md');
    expect(doc).toContain(settingsTable());
    expect(withSettingsTable(doc)).toBe(doc);
  });

  it('holds every setting docs/configuration.md names', () => {
    expect(unknownSettingNames('docs/configuration.md', read('docs/configuration.md'))).toEqual([]);
  });

  it.each([...kubernetesFiles, 'docker-compose.yml'])('agrees with %s', (file) => {
    expect(deployFileFindings(file, read(file))).toEqual([]);
  });

  it('is where the Kubernetes config map and docker-compose.yml take every variable they set', () => {
    const variables = [...kubernetesFiles, 'docker-compose.yml']
      .flatMap((file) => parseAllDocuments(read(file)).map((document) => JSON.stringify(document.toJS())))
      .join('\n');
    // The monitoring services' own settings (Grafana's GF_*) are theirs, not the product's.
    const named = [...new Set(variables.match(/"([A-Z][A-Z0-9_]+)":/g) ?? [])]
      .map((key) => key.slice(1, -2))
      .filter((name) => !name.startsWith('GF_'));
    expect(named.filter((name) => settingOf(name) === undefined)).toEqual([]);
  });

  it('gives every setting one line of help and a default', () => {
    for (const name of NAMES) {
      expect({ name, help: SETTINGS[name].help }).toEqual({ name, help: expect.stringMatching(/^[^\n]{5,90}$/) });
      expect({ name, default: defaultOf(name) }).toEqual({ name, default: expect.stringMatching(/\S/) });
    }
  });

  it("derives a default from the setting's schema where the table does not say it", () => {
    expect(defaultOf('SPAPI_MAX_RPS')).toBe('`1`');
    expect(defaultOf('LOG_LEVEL')).toBe('`info`');
    expect(defaultOf('METRICS_ADDRESS')).toBe('none');
    expect(environment('LOG_LEVEL', 'LWA_CLIENT_ID')).toEqual([
      ['LOG_LEVEL', 'debug, info, warn, error (default info)'],
      ['LWA_CLIENT_ID', "the app's Login with Amazon client ID (required for SP-API calls)"],
    ]);
  });
});

describe('the checks against the table', () => {
  it('fail on a stale block of docs/configuration.md', () => {
    const doc = read('docs/configuration.md').replace('| `LOG_LEVEL`', '| `LOG_LEVELS`');
    expect(withSettingsTable(doc)).not.toBe(doc);
    expect(unknownSettingNames('docs/configuration.md', doc)).toEqual([
      'docs/configuration.md: LOG_LEVELS is not in src/config/settings.ts',
    ]);
  });

  it('fail on a setting the table lacks, a default or a value it does not share, and a comment that disagrees', () => {
    const compose = [
      '    SPAPI_MAX_RPS: ${SPAPI_MAX_RPS:-2}',
      '    SPAPI_MAX_RPSS: 1',
      '    LOG_LEVEL: verbose',
      '    TASK_QUEUE: review-solicitations # the queue of everything',
      '# set SOLICIT_DRYRUN to try it',
      '    TEMPORAL_TLS_SERVER_NAME: example.tmprl.cloud',
    ].join('\n');
    expect(deployFileFindings('docker-compose.yml', compose)).toEqual([
      "docker-compose.yml:1: SPAPI_MAX_RPS defaults to '2' here, to `1` in src/config/settings.ts",
      'docker-compose.yml:2: SPAPI_MAX_RPSS is not in src/config/settings.ts',
      expect.stringMatching(/^docker-compose\.yml:3: LOG_LEVEL: /),
      "docker-compose.yml:4: the comment on TASK_QUEUE says 'the queue of everything', the table 'workflow task queue; SP-API activities use <TASK_QUEUE>-spapi'",
      'docker-compose.yml:5: SOLICIT_DRYRUN is not in src/config/settings.ts',
    ]);
  });
});
