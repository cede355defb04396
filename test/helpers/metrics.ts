import type { MetricCounter, MetricMeter, MetricTags } from '@temporalio/common';

export interface RecordedMetric {
  name: string;
  value: number;
  tags: MetricTags;
}

/** A metric meter that records what counters are given, for unit tests; other kinds are not used. */
export function recordingMeter(): { meter: MetricMeter; recorded: RecordedMetric[] } {
  const recorded: RecordedMetric[] = [];
  const counter = (name: string, description: string | undefined, fixed: MetricTags): MetricCounter => ({
    name,
    description,
    kind: 'counter',
    valueType: 'int',
    add: (value, extraTags) => recorded.push({ name, value, tags: { ...fixed, ...extraTags } }),
    withTags: (tags) => counter(name, description, { ...fixed, ...tags }),
  });
  const unused = () => {
    throw new Error('not recorded by this meter');
  };
  const meter: MetricMeter = {
    createCounter: (name, _unit, description) => counter(name, description, {}),
    createHistogram: unused,
    createGauge: unused,
    withTags: unused,
  };
  return { meter, recorded };
}
