// Waiting in tests: on the state a test means (spans forwarded, a line logged, a request arrived), never on a sleep.
// The condition is checked as the event loop turns; the guard only turns a hang into a failure that names what was
// awaited, and is long enough that a slow, loaded machine never reaches it.
const GUARD_MS = 120_000;

/** Resolves once `condition()` holds; rejects, naming `what`, if it has not after the guard. */
export async function waitUntil(what: string | (() => string), condition: () => boolean, guardMs = GUARD_MS): Promise<void> {
  const deadline = Date.now() + guardMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting, after ${guardMs / 1000} s, for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
