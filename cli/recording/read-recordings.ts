// One read of a set of recordings, handed to several consumers at once (the totals, a report's runs, the levers).
import { Replay, type ReplayOptions, type ReplaySink, type ReplayStats } from './replay.ts';
import { UsageError } from '../../config/command-line.ts';
import { existsSync, statSync } from 'node:fs';

/** Reads the files once, telling every sink; a file that is missing is a UsageError naming it. */
export async function readRecordings(files: readonly string[], options: ReplayOptions, sinks: readonly ReplaySink[]): Promise<ReplayStats> {
  if (files.length === 0) throw new UsageError('no recording given: name one or more files (OTLP/JSON lines, OTLP/JSON or OTLP/protobuf)');
  for (const file of files) {
    if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
    if (!statSync(file).isFile()) throw new UsageError(`${file}: not a file`);
  }
  const replay = new Replay(options, {
    trace: (trace) => {
      for (const sink of sinks) sink.trace(trace);
    },
    lateCall: (call) => {
      for (const sink of sinks) sink.lateCall?.(call);
    },
    recordingMetadata: (metadata, where) => {
      for (const sink of sinks) sink.recordingMetadata?.(metadata, where);
    },
  });
  return replay.read(files);
}
