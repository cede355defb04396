import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ALL_SEARCH_ATTRIBUTES, DEFAULT_TASK_QUEUE } from '../../../src/domain/contract';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_REFRESH_TOKEN } from '../../../src/simulator';

// No Docker engine runs where the tests run, so the compose file is checked for what matters to a user:
// images, ports, commands, search attributes, queues and the settings the product really reads.
const root = path.resolve(__dirname, '..', '..', '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      command?: string[];
      ports?: string[];
      network_mode?: string;
      volumes?: string[];
      environment?: Record<string, string>;
      build?: string;
      profiles?: string[];
    }
  >;
};
const services = compose.services;
/** The monitoring profile: third-party images, which read settings of their own. */
const MONITORING = ['prometheus', 'grafana'];

/** docker/simulator.env as compose reads an env file: NAME=value lines, comments and blank lines skipped. */
function simulatorEnvFile(): Record<string, string> {
  const lines = readFileSync(path.join(root, 'docker', 'simulator.env'), 'utf8').split('\n');
  return Object.fromEntries(
    lines
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

function sourceText(dir: string): string {
  return readdirSync(dir)
    .map((name) => path.join(dir, name))
    .map((file) => (statSync(file).isDirectory() ? sourceText(file) : readFileSync(file, 'utf8')))
    .join('\n');
}

describe('docker-compose.yml', () => {
  it('runs the Temporal dev server with the Web UI, a database volume and every search attribute', () => {
    const temporal = services.temporal!;
    expect(temporal.image).toMatch(/^temporalio\/temporal:\d+\.\d+\.\d+$/);
    expect(temporal.command?.slice(0, 2)).toEqual(['server', 'start-dev']);
    expect(temporal.command).toContain('--ip=0.0.0.0');
    expect(temporal.command).toContain('--ui-port=8233');
    expect(temporal.command?.some((arg) => arg.startsWith('--db-filename=/data/'))).toBe(true);
    expect(temporal.ports).toEqual(expect.arrayContaining(['7233:7233', '8233:8233']));
    const registered = temporal.command?.filter((arg) => arg.startsWith('--search-attribute='));
    const expected = ALL_SEARCH_ATTRIBUTES.map(
      ({ name, type }) => `--search-attribute=${name}=${type === 'DATETIME' ? 'Datetime' : 'Keyword'}`,
    );
    expect(registered?.sort()).toEqual(expected.sort());
  });

  it('runs the Temporal dev server with fairness on and one partition per task queue', () => {
    const dynamicConfig = services.temporal!.command?.filter((arg) => arg.startsWith('--dynamic-config-value='));
    expect(dynamicConfig?.map((arg) => arg.slice('--dynamic-config-value='.length)).sort()).toEqual([
      'matching.enableFairness=true',
      'matching.numTaskqueueReadPartitions=1',
      'matching.numTaskqueueWritePartitions=1',
    ]);
  });

  it('runs ElasticMQ with the ORDER_CHANGE queue and its dead-letter queue', () => {
    const elasticmq = services.elasticmq!;
    expect(elasticmq.image).toMatch(/^softwaremill\/elasticmq-native:\d+\.\d+\.\d+$/);
    const mount = elasticmq.volumes?.find((volume) => volume.endsWith(':/opt/elasticmq.conf:ro'));
    expect(mount).toBeDefined();
    const config = readFileSync(path.join(root, mount!.split(':')[0]!), 'utf8');
    const queueName = services.ingest!.environment!.SQS_QUEUE_URL!.split('/').pop()!;
    expect(config).toMatch(new RegExp(`${queueName} \\{[^}]*deadLettersQueue \\{\\s*name = "${queueName}-dlq"`));
    expect(config).toMatch(/maxReceiveCount = \d+/);
  });

  it('runs the worker and the ingest process from the image of this repository', () => {
    expect(services.worker).toMatchObject({ build: '.', command: ['worker'] });
    expect(services.ingest).toMatchObject({ build: '.', command: ['ingest'] });
    expect(services.worker!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services.worker!.environment!.TASK_QUEUE).toBe(DEFAULT_TASK_QUEUE);
    expect(services.ingest!.environment!.AWS_ENDPOINT_URL_SQS).toBe('http://elasticmq:9324');
    expect(readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toMatch(/ENTRYPOINT \["bin\/solicit"\]/);
  });

  it("runs the SP-API simulator only under the simulator profile, on the worker's loopback", () => {
    const simulator = services['spapi-simulator']!;
    expect(simulator).toMatchObject({ build: '.', profiles: ['simulator'], network_mode: 'service:worker' });
    expect(simulator.command?.slice(0, 2)).toEqual(['dev', '--simulator-only']);
    // Credentials travel to it in plain http, which the product allows to a loopback address only.
    expect(simulator.command).toContain('--bind=127.0.0.1');
    expect(simulator.ports).toBeUndefined();
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'spapi-simulator' && !MONITORING.includes(name))
        expect({ name, profiles: service.profiles }).toEqual({ name, profiles: undefined });
    }
    // It feeds the demo orders into the queue ingest reads, and asks the same Temporal whether they are there.
    expect(simulator.environment!.SQS_QUEUE_URL).toBe(services.ingest!.environment!.SQS_QUEUE_URL);
    expect(simulator.environment!.AWS_ENDPOINT_URL_SQS).toBe(services.ingest!.environment!.AWS_ENDPOINT_URL_SQS);
    expect(simulator.environment!.TEMPORAL_ADDRESS).toBe(services.worker!.environment!.TEMPORAL_ADDRESS);
  });

  it('points the worker at the simulator with docker/simulator.env', () => {
    const env = simulatorEnvFile();
    const port = services['spapi-simulator']!.command?.find((arg) => arg.startsWith('--simulator-port='))?.split(
      '=',
    )[1];
    expect(env).toEqual({
      COMPOSE_PROFILES: 'simulator',
      LWA_CLIENT_ID: SIMULATOR_CLIENT_ID,
      LWA_CLIENT_SECRET: SIMULATOR_CLIENT_SECRET,
      LWA_REFRESH_TOKEN: SIMULATOR_REFRESH_TOKEN,
      LWA_ENDPOINT: `http://127.0.0.1:${port}/auth/o2/token`,
      SPAPI_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    // The worker takes each of them from the variables compose interpolates.
    const workerEnv = services.worker!.environment!;
    for (const name of Object.keys(env).filter((name) => name !== 'COMPOSE_PROFILES')) {
      expect(workerEnv[name]).toMatch(new RegExp(`^\\$\\{${name}(:-[^}]*)?\\}$`));
    }
  });

  it('sets only variables that the product or the AWS SDK reads', () => {
    const source = sourceText(path.join(root, 'src'));
    for (const [name, service] of Object.entries(services)) {
      if (MONITORING.includes(name)) continue;
      for (const variable of Object.keys(service.environment ?? {})) {
        if (variable.startsWith('AWS_')) continue;
        expect({ service: name, variable, read: source.includes(variable) }).toEqual({
          service: name,
          variable,
          read: true,
        });
      }
    }
  });

  it('runs Prometheus with the alert rules and Grafana with the dashboard only under the monitoring profile', () => {
    const { prometheus, grafana } = services;
    expect(prometheus).toMatchObject({ profiles: ['monitoring'], ports: ['9090:9090'] });
    expect(grafana).toMatchObject({ profiles: ['monitoring'], ports: ['3000:3000'] });
    expect(prometheus!.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(grafana!.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    const mounted = (service: typeof prometheus, target: string) => {
      const volume = service!.volumes!.find((entry) => entry.split(':')[1] === target);
      expect({ target, volume }).toEqual({ target, volume: expect.any(String) });
      return path.join(root, volume!.split(':')[0]!);
    };
    // Prometheus scrapes the metrics port every product service opens, and loads the rules.
    const configDir = mounted(prometheus, '/etc/prometheus');
    const config = parse(readFileSync(path.join(configDir, 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(config.rule_files).toEqual(['alerts.yml']);
    expect(statSync(path.join(configDir, 'alerts.yml')).isFile()).toBe(true);
    const port = services.worker!.environment!.METRICS_ADDRESS!.split(':')[1];
    expect(services.ingest!.environment!.METRICS_ADDRESS).toBe(`0.0.0.0:${port}`);
    expect(config.scrape_configs.map((job) => job.static_configs[0]!.targets)).toEqual([
      [`worker:${port}`],
      [`ingest:${port}`],
    ]);
    // Grafana's provisioning names the Prometheus service and the folder the dashboard is mounted in.
    const provisioning = mounted(grafana, '/etc/grafana/provisioning');
    const datasources = parse(readFileSync(path.join(provisioning, 'datasources', 'prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const dashboards = parse(
      readFileSync(path.join(provisioning, 'dashboards', 'review-solicitations.yml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    const dashboardDir = mounted(grafana, dashboards.providers[0]!.options.path);
    const dashboard = JSON.parse(readFileSync(path.join(dashboardDir, 'review-solicitations.json'), 'utf8')) as {
      panels: { datasource: { uid: string } }[];
    };
    expect(new Set(dashboard.panels.map((panel) => panel.datasource.uid))).toEqual(new Set(['prometheus']));
  });
});
