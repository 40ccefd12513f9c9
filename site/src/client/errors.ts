// Why joinRoom did not give a room: one code per reason an app can act on.

export type JoinErrorCode =
  /** Every seat is taken (ROOM_CAPACITY). */
  | "room-full"
  /** The room is locked and someone inside said no to the knock. */
  | "denied"
  /** The locked room's lobby is full: nobody more can knock now. */
  | "lobby-full"
  /** This page's origin may not use the server (ALLOWED_ORIGINS). */
  | "forbidden-origin"
  /** This address joined too often in the last minute; try again later. */
  | "too-many-joins"
  /** The same identity joined from elsewhere first. */
  | "replaced"
  /** The app stopped waiting (options.signal, or leave() while knocking). */
  | "left"
  /** The server could not be reached, or the room name is not one. */
  | "network";

export class JoinError extends Error {
  override readonly name = "JoinError";
  constructor(
    readonly code: JoinErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}
