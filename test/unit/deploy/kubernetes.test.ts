import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT, TOOLS_BIN } from '../../../src/local/processes';

/**
 * deploy/kubernetes against the Kubernetes API schemas, offline, with kubernetes-validate (`npm run
 * tools`), then for what the product needs of them: secrets as files, drain time, probes, metrics.
 */
const KUBERNETES_VERSION = '1.34.0';
const dir = path.join(PROJECT_ROOT, 'deploy', 'kubernetes');
/** The worker gives running activities a minute on SIGTERM; ingest finishes its messages within 30 s. */
const DRAIN_SECONDS = { worker: 60, ingest: 30 };

interface Container {
  name: string;
  image: string;
  args: string[];
  envFrom?: { configMapRef: { name: string } }[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodTemplate {
  metadata: { annotations?: Record<string, string> };
  spec: {
    terminationGracePeriodSeconds?: number;
    restartPolicy?: string;
    containers: Container[];
    volumes?: { name: string; secret?: { secretName: string } }[];
  };
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { template: PodTemplate; backoffLimit?: number };
}

const kustomization = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  images: { name: string; newTag: string }[];
};
const manifests = kustomization.resources.map((file) => ({
  file,
  ...(parse(readFileSync(path.join(dir, file), 'utf8')) as Manifest),
}));
const config = manifests.find((manifest) => manifest.kind === 'ConfigMap')!.data!;
const byName = (name: string) => manifests.find((manifest) => manifest.metadata.name === name)!;

function validate(...files: string[]) {
  const { status, stdout, stderr } = spawnSync(
    path.join(TOOLS_BIN, 'kubernetes-validate'),
    ['--kubernetes-version', KUBERNETES_VERSION, '--strict', ...files],
    { cwd: dir, encoding: 'utf8' },
  );
  return { status, output: `${stdout}${stderr}` };
}

it('lists every manifest of the folder in the kustomize base', () => {
  const files = readdirSync(dir).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
  expect([...kustomization.resources].sort()).toEqual(files.sort());
});

it(`validates against the Kubernetes ${KUBERNETES_VERSION} API schemas, strictly`, () => {
  const { status, output } = validate(...kustomization.resources);
  expect({ status, failures: output.split('\n').filter((line) => line !== '' && !line.includes(' passed ')) }).toEqual({
    status: 0,
    failures: [],
  });
  expect(output.match(/ passed /g)).toHaveLength(kustomization.resources.length);
});

it('refuses a manifest with a field Kubernetes does not know, so the check above can fail', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'manifest-')), 'broken.yaml');
  const worker = readFileSync(path.join(dir, 'worker.yaml'), 'utf8');
  writeFileSync(file, worker.replace('terminationGracePeriodSeconds:', 'terminationGracePeriod:'));
  expect(validate(file).status).not.toBe(0);
});

describe.each([
  ['review-solicitations-worker', 'worker', DRAIN_SECONDS.worker],
  ['review-solicitations-ingest', 'ingest', DRAIN_SECONDS.ingest],
])('Deployment %s', (name, command, drainSeconds) => {
  const template = byName(name).spec!.template;
  const container = template.spec.containers[0]!;

  it(`runs solicit ${command} and gives it more than its ${drainSeconds} s drain before SIGKILL`, () => {
    expect(container.args).toEqual([command]);
    expect(container.image).toBe(kustomization.images[0]!.name);
    expect(template.spec.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds);
  });

  it('serves metrics on the port of METRICS_ADDRESS, annotated for Prometheus, and probes it', () => {
    const port = Number(config.METRICS_ADDRESS!.split(':')[1]);
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: port }]);
    expect(template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port),
      'prometheus.io/path': '/metrics',
    });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
  });
});

describe.each(['review-solicitations-worker', 'review-solicitations-ingest', 'review-solicitations-setup'])(
  '%s',
  (name) => {
    const template = byName(name).spec!.template;
    const container = template.spec.containers[0]!;

    it('reads the client secret and the sellers from files of a mounted Secret, the API key from a Secret', () => {
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'review-solicitations' } }]);
      for (const variable of ['LWA_CLIENT_SECRET_FILE', 'SPAPI_SELLERS_FILE']) {
        const file = config[variable]!;
        const mount = container.volumeMounts?.find((entry) => path.dirname(file) === entry.mountPath);
        const volume = template.spec.volumes?.find((entry) => entry.name === mount?.name);
        expect({ variable, secret: volume?.secret?.secretName }).toEqual({
          variable,
          secret: 'review-solicitations-amazon',
        });
      }
      expect(Object.keys(config).filter((key) => /SECRET$|TOKEN$|API_KEY$/.test(key))).toEqual([]);
      expect(container.env).toContainEqual({
        name: 'TEMPORAL_API_KEY',
        valueFrom: { secretKeyRef: { name: 'review-solicitations-temporal', key: 'api-key' } },
      });
    });
  },
);

it('runs solicit setup as a Job, against Temporal Cloud and real SQS', () => {
  const job = byName('review-solicitations-setup');
  expect(job.kind).toBe('Job');
  expect(job.spec!.template.spec.containers[0]!.args).toEqual(['setup']);
  expect(config.TEMPORAL_ADDRESS).toMatch(/\.tmprl\.cloud:7233$/);
  expect(config.SQS_QUEUE_URL).toMatch(/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/\d{12}\/[\w-]+$/);
  expect(Object.keys(config)).not.toContain('AWS_ENDPOINT_URL_SQS');
});

it('runs solicit replay-check as a Job of the image being rolled out, never retried: its failure is a verdict', () => {
  const job = byName('review-solicitations-replay-check');
  expect(job.kind).toBe('Job');
  const container = job.spec!.template.spec.containers[0]!;
  expect(container.args).toEqual(['replay-check']);
  expect(container.image).toBe(kustomization.images[0]!.name);
  expect(job.spec!.backoffLimit).toBe(0);
  expect(job.spec!.template.spec.restartPolicy).toBe('Never');
  expect(container.envFrom).toEqual([{ configMapRef: { name: 'review-solicitations' } }]);
  expect(container.env).toContainEqual({
    name: 'TEMPORAL_API_KEY',
    valueFrom: { secretKeyRef: { name: 'review-solicitations-temporal', key: 'api-key' } },
  });
});

it("carries the image's build ID to the worker, for Worker Versioning", () => {
  const worker = byName('review-solicitations-worker').spec!.template.spec.containers[0]!;
  const buildId = worker.env?.find((variable) => variable.name === 'WORKER_BUILD_ID') as { value?: string } | undefined;
  expect(buildId?.value).toBe(kustomization.images[0]!.newTag);
});
