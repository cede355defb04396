import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../../../src/config/settings';
import { maxCachedWorkflowsFromEnv } from '../../../src/config/worker';
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
