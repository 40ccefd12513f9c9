import type { Env } from "../env";

export const DEFAULT_CAPACITY = 8;
// A full mesh costs every peer one connection per other peer; past a few
// dozen no browser keeps up, so a bigger number is a misconfiguration.
const MAX_CAPACITY = 50;

/** ROOM_CAPACITY as a number, falling back to the default when unset or bad. */
export function roomCapacity(env: Pick<Env, "ROOM_CAPACITY">): number {
  const n = Number(env.ROOM_CAPACITY);
  return Number.isInteger(n) && n >= 1 && n <= MAX_CAPACITY ? n : DEFAULT_CAPACITY;
}
