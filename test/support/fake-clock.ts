import type { Clock } from '../../src/chat/ports';

/** A clock the test moves by hand, so schedules run without waiting real hours. */
export function fakeClock(start: string) {
  let now = new Date(start);
  const clock: Clock = { now: () => now };
  return {
    clock,
    set: (iso: string) => (now = new Date(iso)),
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}
