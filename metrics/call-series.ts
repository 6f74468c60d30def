// The series one LLM call is recorded in: the attribute set of its histograms (operation, provider, models, server,
// error type) and the keys and labels of its sums (series-table.ts). Building them takes a few objects and two
// joined key strings, and an agent calls the same model from the same place over and over: so each call's labels
// are compared with the previous call's, and when they are the same its series are reused, slots included.
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_TOKENLEDGER_ESTIMATED,
} from '../conventions/attributes.ts';

/** What a call's series are made from; `attribution`: its capped attribution labels, when the app names keys. */
export interface CallLabels {
  attributes: Attributes;
  failed: boolean;
  agent: string;
  attribution: Attributes | undefined;
  /** A sampled span standing for more than one call: its sums are on series marked as estimates. */
  estimated: boolean;
}

export interface CallSeries {
  /** The GenAI conventions' attributes of the call's histograms (with `error.type` when it failed). */
  histogram: Attributes;
  /** Without the error type, for the legacy token histogram. */
  base: Attributes;
  /** The GenAI usage sums' series: its key and attributes. */
  genaiKey: string;
  genaiAttributes: Attributes;
  /** tokenledger's token and cost sums' series: its key and labels. */
  key: string;
  labels: Attributes;
  /** The series' slots, fetched from the tables the first time a call of these series adds to them. */
  genaiSlots?: Float64Array;
  tokenSlots?: Float64Array;
  costSlots?: Float64Array;
}

interface Remembered {
  operation: AttributeValue | undefined;
  provider: AttributeValue | undefined;
  requestModel: AttributeValue | undefined;
  responseModel: AttributeValue | undefined;
  address: AttributeValue | undefined;
  port: AttributeValue | undefined;
  errorType: AttributeValue | undefined;
  failed: boolean;
  agent: string;
  attributionKey: string;
  estimated: boolean;
  series: CallSeries;
}

const ESTIMATED_KEY = '\u0000estimated';

export class LastCallSeries {
  private last: Remembered | undefined;

  seriesOf(labels: CallLabels): CallSeries {
    const { attributes, failed, agent, estimated } = labels;
    const operation = attributes[ATTR_GEN_AI_OPERATION_NAME];
    const provider = attributes[ATTR_GEN_AI_PROVIDER_NAME];
    const requestModel = attributes[ATTR_GEN_AI_REQUEST_MODEL];
    const responseModel = attributes[ATTR_GEN_AI_RESPONSE_MODEL];
    const address = attributes[ATTR_SERVER_ADDRESS];
    const port = attributes[ATTR_SERVER_PORT];
    const errorType = failed ? attributes[ATTR_ERROR_TYPE] : undefined;
    const attributionKey = labels.attribution ? seriesKey(labels.attribution) : '';
    const last = this.last;
    if (
      last !== undefined &&
      last.operation === operation &&
      last.provider === provider &&
      last.requestModel === requestModel &&
      last.responseModel === responseModel &&
      last.address === address &&
      last.port === port &&
      last.failed === failed &&
      last.errorType === errorType &&
      last.agent === agent &&
      last.attributionKey === attributionKey &&
      last.estimated === estimated
    ) {
      return last.series;
    }
    const base: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: operation, [ATTR_GEN_AI_PROVIDER_NAME]: provider, [ATTR_GEN_AI_REQUEST_MODEL]: requestModel };
    if (responseModel !== undefined) base[ATTR_GEN_AI_RESPONSE_MODEL] = responseModel;
    if (address !== undefined) base[ATTR_SERVER_ADDRESS] = address;
    if (port !== undefined) base[ATTR_SERVER_PORT] = port;
    const own: Attributes = {
      [ATTR_GEN_AI_PROVIDER_NAME]: provider,
      [ATTR_GEN_AI_REQUEST_MODEL]: requestModel,
      [ATTR_GEN_AI_AGENT_NAME]: agent,
      ...labels.attribution,
    };
    if (estimated) own[ATTR_TOKENLEDGER_ESTIMATED] = true;
    const series: CallSeries = {
      histogram: failed ? { ...base, [ATTR_ERROR_TYPE]: String(errorType ?? '_OTHER') } : base,
      base,
      genaiKey: `${operation}\u0000${provider}\u0000${requestModel}\u0000${responseModel}\u0000${address}\u0000${port}${estimated ? ESTIMATED_KEY : ''}`,
      genaiAttributes: estimated ? { ...base, [ATTR_TOKENLEDGER_ESTIMATED]: true } : base,
      key: `${provider}\u0000${requestModel}\u0000${agent}${attributionKey}${estimated ? ESTIMATED_KEY : ''}`,
      labels: own,
    };
    this.last = { operation, provider, requestModel, responseModel, address, port, errorType, failed, agent, attributionKey, estimated, series };
    return series;
  }
}

/** The attribution part of a series key: the values in the keys' order, an absent key apart from any value. */
function seriesKey(labels: Attributes): string {
  let key = '';
  for (const name in labels) key += `\u0000${name}=${String(labels[name])}`;
  return key;
}
