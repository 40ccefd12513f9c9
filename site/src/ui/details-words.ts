// A peer connection's details (the library reads them from getStats) in
// one sentence, for a tile's details line.
import type { ConnectionDetails } from "../client";

function bitrate(kbps: number | null): string {
  if (kbps === null) return "measuring";
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(1)} Mbit/s` : `${kbps} kbit/s`;
}

export function describeDetails(state: string, details: ConnectionDetails): string {
  const path =
    details.path === "relayed"
      ? "relayed through a TURN server"
      : details.path === "direct"
        ? "direct, peer to peer"
        : "path not known yet";
  const rtt = details.rttMs === null ? "round trip not measured yet" : `round trip ${details.rttMs} ms`;
  return `${state}; ${path}; ${rtt}; receiving ${bitrate(details.receiveKbps)}, sending ${bitrate(details.sendKbps)}.`;
}
