// The truth about one peer connection: path, round-trip time and bitrates,
// read from a getStats report (the page puts it in words). Pure, so each
// browser's report shape is unit-tested in Node.
import { pathFromStats, selectedPair, type StatsEntry } from "./ice-path";

export interface Sample {
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

export type DetailsEntry = StatsEntry & {
  currentRoundTripTime?: number;
  bytesReceived?: number;
  bytesSent?: number;
};

/** Reads a stats report; bitrates need the previous sample. */
export function readDetails(
  entries: DetailsEntry[],
  previous: Sample | null,
  now: number,
): { details: Details; sample: Sample } {
  const { pair } = selectedPair(entries);
  // The pair's byte counts are standard and everywhere; Firefox's transport
  // stats have none, Chromium's have them too.
  const transport = entries.find((e) => e.type === "transport" && e.bytesReceived !== undefined);
  const sample: Sample = {
    at: now,
    received: pair?.bytesReceived ?? transport?.bytesReceived ?? 0,
    sent: pair?.bytesSent ?? transport?.bytesSent ?? 0,
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
