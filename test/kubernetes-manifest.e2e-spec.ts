import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startTestApp, TestApp } from './support/test-app';
import { get } from './support/http';

interface Probe {
  httpGet: { path: string; port: string };
  timeoutSeconds?: number;
}

interface Container {
  env: Array<{ name: string; value?: string }>;
  envFrom: Array<{ secretRef?: { name: string } }>;
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}

interface Manifest {
  kind: string;
  metadata: { name: string };
  stringData?: Record<string, string>;
  spec: {
    template: { spec: { terminationGracePeriodSeconds: number; containers: Container[] } };
    selector: { matchLabels: Record<string, string> } | Record<string, string>;
  };
}

const manifests = parseAllDocuments(readFileSync(join(__dirname, '..', 'deploy', 'kubernetes.yaml'), 'utf8')).map(
  (document) => document.toJS() as Manifest,
);
const byKind = (kind: string): Manifest => {
  const found = manifests.find((manifest) => manifest.kind === kind);
  if (!found) throw new Error(`deploy/kubernetes.yaml has no ${kind}`);
  return found;
};

describe('deploy/kubernetes.yaml', () => {
  const deployment = byKind('Deployment');
  const container = deployment.spec.template.spec.containers[0];
  let t: TestApp;

  beforeAll(async () => {
    // With the manifest's METRICS_TOKEN in force, as in the cluster: the probes must not need it.
    t = await startTestApp({ env: { METRICS_TOKEN: byKind('Secret').stringData?.METRICS_TOKEN } });
  });
  afterAll(() => t.close());

  it('probes routes the service answers: liveness and startup on /health/live, readiness on /health/ready', async () => {
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.startupProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      const res = await get(t.app, probe.httpGet.path);
      expect({ path: probe.httpGet.path, status: res.statusCode }).toEqual({ path: probe.httpGet.path, status: 200 });
    }
    // A probe's own timeout must outlast the 1 s budget of each check behind it.
    expect(container.readinessProbe.timeoutSeconds).toBeGreaterThan(1);
  });

  it('gives the drain time to finish: grace period above preStop plus SHUTDOWN_TIMEOUT_MS', () => {
    const shutdownMs = Number(container.env.find((e) => e.name === 'SHUTDOWN_TIMEOUT_MS')?.value);
    const [program, seconds] = container.lifecycle.preStop.exec.command;
    expect(program).toBe('sleep');
    expect(shutdownMs).toBeGreaterThan(0);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      Number(seconds) + shutdownMs / 1000,
    );
  });

  it('takes SECRET_KEY from a Secret, sets resources, and exposes the pods through a Service', () => {
    const secret = byKind('Secret');
    expect(Object.keys(secret.stringData ?? {})).toEqual(expect.arrayContaining(['SECRET_KEY', 'METRICS_TOKEN']));
    expect(container.env.map((e) => e.name)).not.toContain('SECRET_KEY');
    expect(container.envFrom).toContainEqual({ secretRef: { name: secret.metadata.name } });
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits).toMatchObject({ memory: expect.any(String) });
    expect(byKind('Service').spec.selector).toEqual(
      (deployment.spec.selector as { matchLabels: Record<string, string> }).matchLabels,
    );
  });
});
