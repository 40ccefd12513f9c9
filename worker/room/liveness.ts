// Idle detection, as pure decisions: which sockets have been silent too
// long, and when the room must wake up next. A socket's last sign of life
// is the later of its last frame and its last auto-answered ping, which the
// runtime records without waking the room.

export interface SocketLife {
  id: string;
  /** ms since epoch of the last frame or ping seen from it. */
  lastSeen: number;
}

export interface LivenessPlan {
  /** Sockets to close as idle now. */
  idle: string[];
  /**
   * When to check again, or null when every socket is healthy. A socket is
   * only worth an alarm once it has been quiet for half the timeout: a room
   * of peers that ping on time never schedules one.
   */
  recheckAt: number | null;
}

export function planLiveness(sockets: SocketLife[], now: number, idleMs: number): LivenessPlan {
  const idle: string[] = [];
  let recheckAt: number | null = null;
  for (const socket of sockets) {
    const deadline = socket.lastSeen + idleMs;
    if (deadline <= now) {
      idle.push(socket.id);
    } else if (now - socket.lastSeen >= idleMs / 2) {
      recheckAt = recheckAt === null ? deadline : Math.min(recheckAt, deadline);
    }
  }
  return { idle, recheckAt };
}

/** The earlier of two optional times. */
export function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
