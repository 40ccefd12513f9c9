// The data channels every Tincan peer connection has. Both are negotiated
// (both ends create them with the same id before the first offer), ordered,
// reliable and without a sub-protocol, so they cost no extra signaling and
// any WebRTC stack can open them the same way.

export const PEER_CHANNELS = {
  /** Chat and peer state: small JSON text messages. */
  messages: { label: "tincan", id: 0 },
  /** File transfers: JSON control text messages, file bytes as binary messages. */
  files: { label: "tincan-files", id: 1 },
  /**
   * An app's own messages (the client library's `room.send`): JSON text or
   * binary, whatever the app chose. Tincan never reads it, so an app can
   * speak its own format without ever being taken for chat or a file.
   */
  app: { label: "tincan-app", id: 2 },
} as const;

export type PeerChannelName = keyof typeof PEER_CHANNELS;
