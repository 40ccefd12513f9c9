// The contracts both ends own: signaling frames and codes (./messages), names
// and ids (./ids), and the formats peers send each other (./peer). Nothing
// here touches the DOM or Workers-only globals. The server's runtime check of
// client frames lives with the room (worker/room/frames.ts), so the site
// bundle never carries the validator.
export * from "./messages";
export * from "./ids";
export * from "./http";
export * from "./peer";
