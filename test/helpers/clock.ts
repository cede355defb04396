/** A clock that moves only when told, shared by the simulator (`now`) and the client's token cache (`nowMs`). */
export function manualClock(start: string) {
  let at = new Date(start).getTime();
  return {
    now: () => new Date(at),
    nowMs: () => at,
    advance(ms: number) {
      at += ms;
    },
  };
}

export const SECOND = 1000;
export const HOUR = 60 * 60 * SECOND;
export const DAY = 24 * HOUR;
