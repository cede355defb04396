import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GUARDED,
  TOOLS_BIN,
  freePort,
  startLocalProcess,
  waitUntil,
  type LocalProcess,
} from '../../src/local/processes';

/** Debian's Prometheus from .tools/bin (`npm run tools`), scraping the given targets every second. */
export interface Prometheus {
  url: string;
  logFile: string;
  /** An instant query through the HTTP API; throws with Prometheus' error when it is refused. */
  query(expr: string): Promise<PrometheusSample[]>;
  /** GET of an API path (`/api/v1/...`), its `data` once the status is success. */
  api<T>(pathAndQuery: string): Promise<T>;
  stop(): Promise<void>;
}

export interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}

export async function startPrometheus(options: {
  targets: Record<string, string>;
  ruleFiles?: string[];
}): Promise<Prometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'prometheus-'));
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: Object.entries(options.targets).map(([job, address]) => ({
      job_name: job,
      static_configs: [{ targets: [address] }],
    })),
  };
  // JSON is YAML, so the config needs no YAML writer.
  writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dir, 'prometheus.log');
  const server: LocalProcess = startLocalProcess(
    GUARDED,
    [
      path.join(TOOLS_BIN, 'prometheus'),
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    logFile,
  );
  await waitUntil(`prometheus (log: ${logFile})`, async () => {
    const response = await fetch(`${url}/-/ready`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  });

  async function api<T>(pathAndQuery: string): Promise<T> {
    const response = await fetch(`${url}${pathAndQuery}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${pathAndQuery}: ${body.error ?? response.status}`);
    return body.data;
  }
  return {
    url,
    logFile,
    api,
    async query(expr) {
      const data = await api<{ result: PrometheusSample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
      return data.result;
    },
    stop: () => server.stop(),
  };
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool']);
const OPERATORS = new Set(['and', 'or', 'unless']);

/**
 * The metric names a PromQL expression selects: identifiers that are not functions, keywords, label names
 * of a grouping clause or matcher, strings or durations. Enough for the project's own rules and panels.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...stripped.matchAll(/[a-zA-Z_:][\w:]*/g)]
    .filter((match) => !/[\w.]/.test(stripped[match.index - 1] ?? ''))
    .filter(
      (match) =>
        !stripped
          .slice(match.index + match[0].length)
          .trimStart()
          .startsWith('('),
    )
    .map((match) => match[0])
    .filter((name) => !KEYWORDS.has(name) && !OPERATORS.has(name));
  return [...new Set(names)];
}
