// The OTLP trace protocol (opentelemetry-proto, `opentelemetry.proto.collector.trace.v1`, stable since v1.0)
// as a protobufjs descriptor: ExportTraceServiceRequest/Response and every message under them, with the
// protocol's field numbers, and `google.rpc.Status`, the body of an OTLP/HTTP error response. Decoding and
// re-encoding with the whole schema keeps every field of a span tokenledger does not interpret; fields added to
// the protocol after this schema survive only in spans forwarded as they came (span-wire.ts, docs/collector.md).
//
// proto3 strings must be valid UTF-8, and protobufjs refuses a message whose strings are not. The lenient request
// type decodes them with each invalid sequence replaced by U+FFFD (proto2 rules: no UTF-8 check), so one bad
// string costs a repair, not the request, and what is forwarded is valid.
import protobuf from 'protobufjs';

const KEY_VALUE = { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } };
const ANY_VALUE = {
  oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
  fields: {
    stringValue: { type: 'string', id: 1 },
    boolValue: { type: 'bool', id: 2 },
    intValue: { type: 'int64', id: 3 },
    doubleValue: { type: 'double', id: 4 },
    arrayValue: { type: 'ArrayValue', id: 5 },
    kvlistValue: { type: 'KeyValueList', id: 6 },
    bytesValue: { type: 'bytes', id: 7 },
  },
};

const descriptor = {
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            common: {
              nested: {
                v1: {
                  nested: {
                    AnyValue: ANY_VALUE,
                    ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
                    KeyValueList: { fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
                    KeyValue: KEY_VALUE,
                    InstrumentationScope: {
                      fields: {
                        name: { type: 'string', id: 1 },
                        version: { type: 'string', id: 2 },
                        attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
                        droppedAttributesCount: { type: 'uint32', id: 4 },
                      },
                    },
                    EntityRef: {
                      fields: {
                        schemaUrl: { type: 'string', id: 1 },
                        type: { type: 'string', id: 2 },
                        idKeys: { rule: 'repeated', type: 'string', id: 3 },
                        descriptionKeys: { rule: 'repeated', type: 'string', id: 4 },
                      },
                    },
                  },
                },
              },
            },
            resource: {
              nested: {
                v1: {
                  nested: {
                    Resource: {
                      fields: {
                        attributes: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.KeyValue', id: 1 },
                        droppedAttributesCount: { type: 'uint32', id: 2 },
                        entityRefs: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.EntityRef', id: 3 },
                      },
                    },
                  },
                },
              },
            },
            trace: {
              nested: {
                v1: {
                  nested: {
                    ResourceSpans: {
                      fields: {
                        resource: { type: 'opentelemetry.proto.resource.v1.Resource', id: 1 },
                        scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 },
                        schemaUrl: { type: 'string', id: 3 },
                      },
                    },
                    ScopeSpans: {
                      fields: {
                        scope: { type: 'opentelemetry.proto.common.v1.InstrumentationScope', id: 1 },
                        spans: { rule: 'repeated', type: 'Span', id: 2 },
                        schemaUrl: { type: 'string', id: 3 },
                      },
                    },
                    Span: {
                      fields: {
                        traceId: { type: 'bytes', id: 1 },
                        spanId: { type: 'bytes', id: 2 },
                        traceState: { type: 'string', id: 3 },
                        parentSpanId: { type: 'bytes', id: 4 },
                        flags: { type: 'fixed32', id: 16 },
                        name: { type: 'string', id: 5 },
                        kind: { type: 'int32', id: 6 },
                        startTimeUnixNano: { type: 'fixed64', id: 7 },
                        endTimeUnixNano: { type: 'fixed64', id: 8 },
                        attributes: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.KeyValue', id: 9 },
                        droppedAttributesCount: { type: 'uint32', id: 10 },
                        events: { rule: 'repeated', type: 'Event', id: 11 },
                        droppedEventsCount: { type: 'uint32', id: 12 },
                        links: { rule: 'repeated', type: 'Link', id: 13 },
                        droppedLinksCount: { type: 'uint32', id: 14 },
                        status: { type: 'Status', id: 15 },
                      },
                    },
                    Event: {
                      fields: {
                        timeUnixNano: { type: 'fixed64', id: 1 },
                        name: { type: 'string', id: 2 },
                        attributes: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.KeyValue', id: 3 },
                        droppedAttributesCount: { type: 'uint32', id: 4 },
                      },
                    },
                    Link: {
                      fields: {
                        traceId: { type: 'bytes', id: 1 },
                        spanId: { type: 'bytes', id: 2 },
                        traceState: { type: 'string', id: 3 },
                        attributes: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.KeyValue', id: 4 },
                        droppedAttributesCount: { type: 'uint32', id: 5 },
                        flags: { type: 'fixed32', id: 6 },
                      },
                    },
                    Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },
                  },
                },
              },
            },
            collector: {
              nested: {
                trace: {
                  nested: {
                    v1: {
                      nested: {
                        ExportTraceServiceRequest: {
                          fields: { resourceSpans: { rule: 'repeated', type: 'opentelemetry.proto.trace.v1.ResourceSpans', id: 1 } },
                        },
                        ExportTraceServiceResponse: { fields: { partialSuccess: { type: 'ExportTracePartialSuccess', id: 1 } } },
                        ExportTracePartialSuccess: {
                          fields: { rejectedSpans: { type: 'int64', id: 1 }, errorMessage: { type: 'string', id: 2 } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const rpc = {
  nested: {
    google: {
      nested: {
        rpc: { nested: { Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } } } },
      },
    },
  },
};

/** The descriptor with every message type decoded under proto2 rules, which do not check strings for UTF-8. */
function lenient(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = key === 'fields' ? value : lenient(value);
  if ('fields' in copy) copy.edition = 'proto2';
  return copy;
}

const root = protobuf.Root.fromJSON(descriptor);
const rpcRoot = protobuf.Root.fromJSON(rpc);
/** The OTLP/HTTP error body. */
export const Status = rpcRoot.lookupType('google.rpc.Status');
/** ExportTraceServiceRequest with invalid UTF-8 in strings replaced by U+FFFD instead of refused. */
export const LenientExportTraceServiceRequest = protobuf.Root.fromJSON(lenient(descriptor) as protobuf.INamespace).lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
);
export const ExportTraceServiceRequest = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
export const ExportTraceServiceResponse = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
// The messages collector mode encodes piece by piece (a span as it arrives; requests around held spans).
export const ResourceSpans = root.lookupType('opentelemetry.proto.trace.v1.ResourceSpans');
export const ScopeSpans = root.lookupType('opentelemetry.proto.trace.v1.ScopeSpans');
export const Span = root.lookupType('opentelemetry.proto.trace.v1.Span');
export const Resource = root.lookupType('opentelemetry.proto.resource.v1.Resource');
export const InstrumentationScope = root.lookupType('opentelemetry.proto.common.v1.InstrumentationScope');
export const KeyValue = root.lookupType('opentelemetry.proto.common.v1.KeyValue');
export const AnyValue = root.lookupType('opentelemetry.proto.common.v1.AnyValue');
export const ArrayValue = root.lookupType('opentelemetry.proto.common.v1.ArrayValue');
