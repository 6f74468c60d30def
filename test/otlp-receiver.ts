// A minimal OTLP/HTTP JSON receiver for end-to-end tests: collects what exporters POST to /v1/traces, and the last
// value of each metric data point POSTed to /v1/metrics (cumulative temporality: the last export is the total).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value: AnyValue };

export interface ReceivedSpan {
  name: string;
  scope: string;
  resource: Record<string, unknown>;
  attributes: Record<string, unknown>;
  traceId: string;
  spanId: string;
  parentSpanId: string;
}

export interface ReceivedPoint {
  attributes: Record<string, unknown>;
  /** A sum's value, or a histogram's sum and count. */
  value: number | { sum: number; count: number };
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** By metric name, the data points of its last export. */
  readonly metrics = new Map<string, ReceivedPoint[]>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.url === '/v1/traces') this.collect(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (req.url === '/v1/metrics') this.collectMetrics(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private collectMetrics(body: MetricsBody): void {
    for (const resourceMetrics of body.resourceMetrics ?? []) {
      for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
        for (const metric of scopeMetrics.metrics ?? []) {
          const points = metric.sum?.dataPoints ?? metric.histogram?.dataPoints ?? [];
          this.metrics.set(
            metric.name,
            points.map((point) => ({
              attributes: toRecord(point.attributes),
              value: metric.histogram ? { sum: Number(point.sum ?? 0), count: Number(point.count ?? 0) } : Number(point.asInt ?? point.asDouble ?? 0),
            })),
          );
        }
      }
    }
  }

  private collect(body: {
    resourceSpans?: Array<{
      resource?: { attributes?: KeyValue[] };
      scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<Record<string, unknown>> }>;
    }>;
  }) {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const resource = toRecord(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            name: String(span.name),
            scope: scopeSpans.scope?.name ?? '',
            resource,
            attributes: toRecord(span.attributes as KeyValue[] | undefined),
            traceId: String(span.traceId ?? ''),
            spanId: String(span.spanId ?? ''),
            parentSpanId: String(span.parentSpanId ?? ''),
          });
        }
      }
    }
  }
}

type MetricPoint = { attributes?: KeyValue[]; asInt?: string | number; asDouble?: number; sum?: number; count?: string | number };
type Metric = { name: string; sum?: { dataPoints?: MetricPoint[] }; histogram?: { dataPoints?: MetricPoint[] } };

export interface MetricsBody {
  resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: Metric[] }> }>;
}

/** The sum of a metric's values over its data points (0 when it has none). */
export function metricSum(receiver: OtlpReceiver, name: string): number {
  return (receiver.metrics.get(name) ?? []).reduce((total, point) => total + (typeof point.value === 'number' ? point.value : point.value.sum), 0);
}

function toRecord(attributes: KeyValue[] | undefined): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) record[key] = fromAnyValue(value);
  return record;
}

function fromAnyValue(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(fromAnyValue);
  return undefined;
}
