// The truth about one peer connection, in words: path, round-trip time and
// bitrates, read from getStats while the details are shown.
import { pathFromStats, type StatsEntry } from "../ice-path";

interface Sample {
  at: number;
  received: number;
  sent: number;
}

export interface Details {
  path: "direct" | "relayed" | "unknown";
  rttMs: number | null;
  receiveKbps: number | null;
  sendKbps: number | null;
}

type Entry = StatsEntry & {
  currentRoundTripTime?: number;
  bytesReceived?: number;
  bytesSent?: number;
};

/** Reads a stats report; bitrates need the previous sample. */
export function readDetails(
  entries: Entry[],
  previous: Sample | null,
  now: number,
): { details: Details; sample: Sample } {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const transport = entries.find((e) => e.type === "transport" && e.selectedCandidatePairId);
  const pair = transport ? byId.get(transport.selectedCandidatePairId!) : undefined;
  const sample: Sample = {
    at: now,
    received: transport?.bytesReceived ?? 0,
    sent: transport?.bytesSent ?? 0,
  };
  const seconds = previous ? (now - previous.at) / 1000 : 0;
  const rate = (bytes: number) => (seconds > 0 ? Math.max(0, Math.round((bytes * 8) / 1000 / seconds)) : null);
  return {
    sample,
    details: {
      path: pathFromStats(entries),
      rttMs: pair?.currentRoundTripTime === undefined ? null : Math.round(pair.currentRoundTripTime * 1000),
      receiveKbps: previous ? rate(sample.received - previous.received) : null,
      sendKbps: previous ? rate(sample.sent - previous.sent) : null,
    },
  };
}

function bitrate(kbps: number | null): string {
  if (kbps === null) return "measuring";
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(1)} Mbit/s` : `${kbps} kbit/s`;
}

export function describeDetails(state: string, details: Details): string {
  const path =
    details.path === "relayed"
      ? "relayed through a TURN server"
      : details.path === "direct"
        ? "direct, peer to peer"
        : "path not known yet";
  const rtt = details.rttMs === null ? "round trip not measured yet" : `round trip ${details.rttMs} ms`;
  return `${state}; ${path}; ${rtt}; receiving ${bitrate(details.receiveKbps)}, sending ${bitrate(details.sendKbps)}.`;
}

/** Polls `pc` every second and reports the description, until stopped. */
export function watchDetails(pc: RTCPeerConnection, state: () => string, show: (text: string) => void): () => void {
  let previous: Sample | null = null;
  const tick = async () => {
    try {
      const report = await pc.getStats();
      const { details, sample } = readDetails([...report.values()] as Entry[], previous, performance.now());
      previous = sample;
      show(describeDetails(state(), details));
    } catch {
      show("No connection details.");
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), 1_000);
  return () => clearInterval(timer);
}
