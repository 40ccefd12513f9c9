// Which path a peer connection's media takes, read from getStats: the local
// candidate of the selected pair says whether we go through a TURN relay.

export type IcePath = "direct" | "relayed" | "unknown";

export interface StatsEntry {
  type: string;
  id: string;
  selectedCandidatePairId?: string;
  localCandidateId?: string;
  candidateType?: string;
  nominated?: boolean;
  state?: string;
}

/** The path from a getStats() report (pure: no DOM, so it is unit-tested in Node). */
export function pathFromStats(entries: Iterable<StatsEntry>): IcePath {
  const byId = new Map<string, StatsEntry>();
  for (const entry of entries) byId.set(entry.id, entry);
  let pair: StatsEntry | undefined;
  for (const entry of byId.values()) {
    if (entry.type === "transport" && entry.selectedCandidatePairId) pair = byId.get(entry.selectedCandidatePairId);
  }
  // Browsers without transport stats: the nominated, succeeded pair.
  pair ??= [...byId.values()].find((e) => e.type === "candidate-pair" && e.nominated && e.state === "succeeded");
  const local = pair?.localCandidateId ? byId.get(pair.localCandidateId) : undefined;
  if (!local?.candidateType) return "unknown";
  return local.candidateType === "relay" ? "relayed" : "direct";
}
