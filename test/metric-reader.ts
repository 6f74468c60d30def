// Reads metrics on demand in tests: a MetricReader whose collect() the test calls.
import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';

export class TestMetricReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}

  /** Every metric collected now, by name. */
  async metricsByName(): Promise<Map<string, MetricData>> {
    const { resourceMetrics } = await this.collect();
    const byName = new Map<string, MetricData>();
    for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
    return byName;
  }
}

export function testMeterProvider(): { meterProvider: MeterProvider; reader: TestMetricReader } {
  const reader = new TestMetricReader();
  return { meterProvider: new MeterProvider({ readers: [reader] }), reader };
}
