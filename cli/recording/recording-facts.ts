// What a recording says about itself: the sampler each recording process had in force (its start record), what it
// recorded and what the sampler kept out (its end record, setup/record-file.ts), and the sampling probability the
// calls carry in their tracestate (`ot=th:…`). From these: whether the recording is sampled — yes, no, or unknown
// (a file without start records: recorded before tokenledger wrote them, or by another tool) — and, for the
// cost lab, how many LLM calls it lacks. Fed by the replay, one record and one trace at a time.
import { RECORDING_METADATA_VERSION, type RecordedSampler, type RecordingMetadata, type UnsampledCalls } from '../../setup/record-file.ts';
import { plural } from '../format.ts';
import { RecordingError } from './recording-error.ts';
import type { ReplayedTrace, ReplaySink, ReplayStats } from './replay.ts';

export type Sampled = 'yes' | 'no' | 'unknown';

/** Sessions held at most (one per recording process); more are counted, not kept. */
const MAX_SESSIONS = 10_000;

interface Session {
  sampler?: RecordedSampler;
  end?: Extract<RecordingMetadata, { kind: 'end' }>;
}

export class RecordingFacts implements ReplaySink {
  private readonly sessions = new Map<string, Session>();
  /** Sessions past MAX_SESSIONS (their figures still count). */
  private extraSessions = 0;
  /** Calls whose tracestate carries a sampling probability below 1, and the calls they stand for (Σ 1/p). */
  thresholdCalls = 0;
  thresholdAdjustedCount = 0;
  /** The lowest such probability. */
  lowestProbability = 1;
  /** LLM calls the end records say the sampler kept out, and their sum, by provider, model and day. */
  unsampledCalls = 0;
  unsampledSpans = 0;
  private readonly unsampledByKey = new Map<string, UnsampledCalls>();

  recordingMetadata(raw: unknown, where: string): void {
    const metadata = parseMetadata(raw, where);
    let session = this.sessions.get(metadata.session);
    if (!session) {
      if (this.sessions.size >= MAX_SESSIONS) this.extraSessions += 1;
      else this.sessions.set(metadata.session, (session = {}));
    }
    if (metadata.kind === 'start') {
      if (session) session.sampler = metadata.sampler;
      return;
    }
    if (session) {
      session.end = metadata;
      session.sampler ??= metadata.sampler;
    }
    this.unsampledSpans += metadata.spans.unsampled;
    this.unsampledCalls += metadata.calls.unsampled;
    for (const calls of metadata.unsampledCalls) {
      const key = `${calls.provider}\u0000${calls.model}\u0000${calls.day}`;
      const held = this.unsampledByKey.get(key);
      if (!held) this.unsampledByKey.set(key, { ...calls });
      else {
        held.calls += calls.calls;
        held.usd = (held.usd ?? 0) + (calls.usd ?? 0);
        held.unpriced = (held.unpriced ?? 0) + (calls.unpriced ?? 0);
      }
    }
  }

  trace(trace: ReplayedTrace): void {
    for (const { call } of trace.calls) this.noteProbability(call.samplingProbability);
  }

  lateCall(call: { samplingProbability?: number }): void {
    this.noteProbability(call.samplingProbability);
  }

  private noteProbability(probability: number | undefined): void {
    if (probability === undefined || probability >= 1 || probability <= 0) return;
    this.thresholdCalls += 1;
    this.thresholdAdjustedCount += 1 / probability;
    this.lowestProbability = Math.min(this.lowestProbability, probability);
  }

  /** The samplers stated, without repeats. */
  get samplers(): RecordedSampler[] {
    const seen = new Map<string, RecordedSampler>();
    for (const session of this.sessions.values()) if (session.sampler) seen.set(session.sampler.description, session.sampler);
    return [...seen.values()];
  }

  /** Recording processes that wrote a start record. */
  get recordedSessions(): number {
    return [...this.sessions.values()].filter((session) => session.sampler).length + this.extraSessions;
  }

  /** The LLM calls the sampler kept out, for one provider, model and UTC day. */
  unsampledFor(provider: string, model: string, day: string): UnsampledCalls | undefined {
    return this.unsampledByKey.get(`${provider}\u0000${model}\u0000${day}`);
  }

  get unsampledGroups(): UnsampledCalls[] {
    return [...this.unsampledByKey.values()];
  }

  /**
   * Sampled when a sampler below probability 1 was in force, an end record counts spans left out, or calls carry a
   * probability below 1; not sampled when every recording process stated a sampler that keeps everything; else
   * unknown.
   */
  get sampled(): Sampled {
    const samplers = this.samplers;
    if (this.unsampledSpans > 0 || this.thresholdCalls > 0) return 'yes';
    if (samplers.some((sampler) => sampler.probability !== undefined && sampler.probability < 1)) return 'yes';
    if (this.sessions.size === 0 || [...this.sessions.values()].some((session) => !session.sampler)) return 'unknown';
    return samplers.every((sampler) => sampler.probability === 1) ? 'no' : 'unknown';
  }

  /** One sentence: how many spans the recording holds and whether it was sampled. */
  summary(stats: ReplayStats): string {
    const held = `${plural(stats.spans, 'span')} (${plural(stats.calls, 'LLM call')}) in ${plural(stats.files, 'file')}`;
    const samplers = this.samplers.map((sampler) => sampler.description).join(', ');
    switch (this.sampled) {
      case 'no':
        return `${held}; not sampled (${samplers})`;
      case 'unknown':
        return `${held}; whether it was sampled is unknown (${this.sessions.size === 0 ? 'no tokenledger start record: recorded by another tool or an older tokenledger' : `a sampler that does not say its probability: ${samplers || 'none stated'}`})`;
      default: {
        const parts: string[] = [];
        if (samplers) parts.push(samplers);
        if (this.unsampledCalls > 0 || this.unsampledSpans > 0)
          parts.push(`${plural(this.unsampledCalls, 'LLM call')} and ${plural(this.unsampledSpans, 'span')} left out by the sampler`);
        if (this.thresholdCalls > 0)
          parts.push(
            `${plural(this.thresholdCalls, 'call')} carry a sampling probability down to ${this.lowestProbability.toPrecision(3)} (they stand for ${Math.round(this.thresholdAdjustedCount).toLocaleString('en-US')})`,
          );
        return `${held}; SAMPLED: ${parts.join('; ')}`;
      }
    }
  }
}

/** A metadata record checked: a kind, a session, and the figures of its kind. */
function parseMetadata(raw: unknown, where: string): RecordingMetadata {
  const fail = (problem: string): never => {
    throw new RecordingError(where, `a tokenledgerRecording record ${problem}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('must be an object');
  const record = raw as Record<string, unknown>;
  if (typeof record.version !== 'number' || record.version > RECORDING_METADATA_VERSION) {
    fail(`has version ${JSON.stringify(record.version)}; this tokenledger reads version ${RECORDING_METADATA_VERSION} (upgrade it)`);
  }
  if (typeof record.session !== 'string' || record.session === '') fail('has no session');
  if (record.kind === 'start') {
    const sampler = record.sampler as RecordedSampler | undefined;
    if (typeof sampler?.description !== 'string') fail('(start) has no sampler description');
    if (sampler!.probability !== undefined && !(typeof sampler!.probability === 'number' && sampler!.probability >= 0 && sampler!.probability <= 1)) {
      fail(`(start) has a sampler probability that is not from 0 to 1: ${JSON.stringify(sampler!.probability)}`);
    }
    return record as unknown as RecordingMetadata;
  }
  if (record.kind === 'end') {
    const sampler = record.sampler as RecordedSampler | undefined;
    if (typeof sampler?.description !== 'string') fail('(end) has no sampler description');
    const counts = (value: unknown, name: string) => {
      const pair = value as { recorded?: unknown; unsampled?: unknown } | undefined;
      if (!isCount(pair?.recorded) || !isCount(pair?.unsampled)) fail(`(end) needs ${name}.recorded and ${name}.unsampled as counts`);
    };
    counts(record.spans, 'spans');
    counts(record.calls, 'calls');
    if (!Array.isArray(record.unsampledCalls)) fail('(end) needs unsampledCalls as a list');
    for (const calls of record.unsampledCalls as UnsampledCalls[]) {
      if (typeof calls?.provider !== 'string' || typeof calls.model !== 'string' || typeof calls.day !== 'string' || !isCount(calls.calls)) {
        fail('(end) has an unsampledCalls entry without provider, model, day and calls');
      }
    }
    return record as unknown as RecordingMetadata;
  }
  return fail(`has kind ${JSON.stringify(record.kind)}, expected "start" or "end"`);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
