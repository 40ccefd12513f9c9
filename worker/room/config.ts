import type { Env } from "../env";

export const DEFAULT_CAPACITY = 8;
// A full mesh costs every peer one connection per other peer; past a few
// dozen no browser keeps up, so a bigger number is a misconfiguration.
const MAX_CAPACITY = 50;

export const DEFAULT_GRACE_SECONDS = 20;
export const DEFAULT_IDLE_SECONDS = 60;

/** Bounds of what is kept for a peer in its grace period. */
export const KEPT_MAX_FRAMES = 256;
export const KEPT_MAX_BYTES = 256 * 1024;

function integerVar(value: string | undefined, min: number, max: number, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

export interface RoomConfig {
  capacity: number;
  /** How long a dropped peer keeps its seat, in ms. */
  graceMs: number;
  /** How long a socket may stay silent (no frame, no ping), in ms. */
  idleMs: number;
}

export function roomConfig(
  env: Pick<Env, "ROOM_CAPACITY" | "RESUME_GRACE_SECONDS" | "IDLE_TIMEOUT_SECONDS">,
): RoomConfig {
  return {
    capacity: integerVar(env.ROOM_CAPACITY, 1, MAX_CAPACITY, DEFAULT_CAPACITY),
    graceMs: integerVar(env.RESUME_GRACE_SECONDS, 0, 3600, DEFAULT_GRACE_SECONDS) * 1000,
    idleMs: integerVar(env.IDLE_TIMEOUT_SECONDS, 1, 3600, DEFAULT_IDLE_SECONDS) * 1000,
  };
}
