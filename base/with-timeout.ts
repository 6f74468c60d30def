// Waiting for work with a deadline, for the paths that end a process (the register entry's flush on exit, collect's
// last metrics): the timer holds the process alive only until the work is done or the deadline passes.

/** True when `work` settled within `ms` (its rejection is passed on), false when the deadline came first. */
export function withTimeout(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}
