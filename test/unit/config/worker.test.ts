import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../../../src/config/settings';
import { maxCachedWorkflowsFromEnv, workerDeploymentFromEnv } from '../../../src/config/worker';
import { ConfigError } from '../../../src/errors';

describe('maxCachedWorkflowsFromEnv', () => {
  it('is 250 unless WORKER_MAX_CACHED_WORKFLOWS says otherwise', () => {
    expect(maxCachedWorkflowsFromEnv({})).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
    expect(DEFAULT_MAX_CACHED_WORKFLOWS).toBe(250);
    expect(maxCachedWorkflowsFromEnv({ WORKER_MAX_CACHED_WORKFLOWS: '2000' })).toBe(2000);
  });

  it.each(['0', '-5', '1.5', 'many'])('refuses %s naming the variable', (value) => {
    expect(() => maxCachedWorkflowsFromEnv({ WORKER_MAX_CACHED_WORKFLOWS: value })).toThrow(ConfigError);
    expect(() => maxCachedWorkflowsFromEnv({ WORKER_MAX_CACHED_WORKFLOWS: value })).toThrow(
      /^WORKER_MAX_CACHED_WORKFLOWS: /,
    );
  });
});

describe('workerDeploymentFromEnv', () => {
  it('is unversioned unless WORKER_DEPLOYMENT_NAME is set, whatever WORKER_BUILD_ID says', () => {
    expect(workerDeploymentFromEnv({})).toBeUndefined();
    expect(workerDeploymentFromEnv({ WORKER_BUILD_ID: '0.1.0' })).toBeUndefined();
    expect(
      workerDeploymentFromEnv({ WORKER_DEPLOYMENT_NAME: 'review-solicitations', WORKER_BUILD_ID: '0.1.0' }),
    ).toEqual({ deploymentName: 'review-solicitations', buildId: '0.1.0' });
  });

  it.each([
    [{ WORKER_DEPLOYMENT_NAME: 'review-solicitations' }, /^WORKER_BUILD_ID: required when WORKER_DEPLOYMENT_NAME/],
    [{ WORKER_DEPLOYMENT_NAME: 'review.solicitations', WORKER_BUILD_ID: 'a' }, /^WORKER_DEPLOYMENT_NAME: /],
    [{ WORKER_DEPLOYMENT_NAME: 'review-solicitations', WORKER_BUILD_ID: 'a b' }, /^WORKER_BUILD_ID: /],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => workerDeploymentFromEnv(env)).toThrow(ConfigError);
    expect(() => workerDeploymentFromEnv(env)).toThrow(message);
  });
});
