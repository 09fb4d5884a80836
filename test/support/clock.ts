/** A clock tests can move forward (sessions, throttling and one-time codes all read it). */
export function testClock(start = new Date()) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    advanceMinutes(minutes: number) {
      current += minutes * 60_000;
    },
  };
}

export type TestClock = ReturnType<typeof testClock>;
