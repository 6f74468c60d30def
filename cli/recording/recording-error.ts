// Bad input in a recording: the error says which file, and where in it (a line, or a record of a binary file), so a
// person can look; the commands print it and exit 2.
export class RecordingError extends Error {
  override readonly name = 'RecordingError';

  /** `where`: `file:line`, or `file (record N)` for binary files. */
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
  }
}
