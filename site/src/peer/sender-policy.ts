// How much video a page sends to each peer. In a mesh every extra person is
// another upload of the same camera, so the per-peer budget shrinks as the
// room grows and the sum stays within a home uplink. Applied with
// setParameters (never by renegotiating); docs/protocol.md shows this table
// and a unit test keeps the two the same.

export interface VideoEncoding {
  /** Cap per peer connection, kbit/s. */
  maxBitrateKbps: number;
  /** 1 sends the camera as captured (640×360); 2 sends a quarter of the pixels. */
  scaleResolutionDownBy: number;
}

export interface SenderPolicy {
  camera: VideoEncoding;
  /** A screen share gets more of the budget and is never scaled: text must stay legible. */
  screen: VideoEncoding;
}

/** The most video a page uploads in all, summed over its peer connections. */
export const VIDEO_UPLOAD_BUDGET_KBPS = 2_500;

/** Row n-1 is for n remote peers (a room of n+1 people). */
export const SENDER_POLICY_TABLE: readonly SenderPolicy[] = [
  {
    camera: { maxBitrateKbps: 1_500, scaleResolutionDownBy: 1 },
    screen: { maxBitrateKbps: 2_500, scaleResolutionDownBy: 1 },
  },
  {
    camera: { maxBitrateKbps: 1_000, scaleResolutionDownBy: 1 },
    screen: { maxBitrateKbps: 1_250, scaleResolutionDownBy: 1 },
  },
  {
    camera: { maxBitrateKbps: 700, scaleResolutionDownBy: 1.5 },
    screen: { maxBitrateKbps: 833, scaleResolutionDownBy: 1 },
  },
  {
    camera: { maxBitrateKbps: 500, scaleResolutionDownBy: 1.5 },
    screen: { maxBitrateKbps: 625, scaleResolutionDownBy: 1 },
  },
  {
    camera: { maxBitrateKbps: 400, scaleResolutionDownBy: 2 },
    screen: { maxBitrateKbps: 500, scaleResolutionDownBy: 1 },
  },
  {
    camera: { maxBitrateKbps: 350, scaleResolutionDownBy: 2 },
    screen: { maxBitrateKbps: 416, scaleResolutionDownBy: 1 },
  },
  {
    camera: { maxBitrateKbps: 300, scaleResolutionDownBy: 2 },
    screen: { maxBitrateKbps: 357, scaleResolutionDownBy: 1 },
  },
];

/**
 * The policy for `remotePeers` peer connections. Rooms larger than the table
 * (ROOM_CAPACITY allows 50) split the same budget evenly, camera at a quarter
 * of its pixels.
 */
export function senderPolicy(remotePeers: number): SenderPolicy {
  const n = Math.max(1, Math.floor(remotePeers));
  const row = SENDER_POLICY_TABLE[n - 1];
  if (row) return row;
  return {
    camera: { maxBitrateKbps: Math.floor(2_100 / n), scaleResolutionDownBy: 2 },
    screen: { maxBitrateKbps: Math.floor(VIDEO_UPLOAD_BUDGET_KBPS / n), scaleResolutionDownBy: 1 },
  };
}
