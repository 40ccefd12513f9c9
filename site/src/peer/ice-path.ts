// Which path a peer connection's media takes, read from getStats: the local
// candidate of the selected pair says whether we go through a TURN relay.
// Pure (no DOM), so it is unit-tested in Node with each browser's shapes.

export type IcePath = "direct" | "relayed" | "unknown";

export interface StatsEntry {
  type: string;
  id: string;
  selectedCandidatePairId?: string;
  localCandidateId?: string;
  candidateType?: string;
  nominated?: boolean;
  /** Firefox's own flag on the pair in use (older versions have no transport stats). */
  selected?: boolean;
  state?: string;
}

/**
 * The candidate pair in use. Browsers differ in what they report, so each
 * way is tried in turn: the transport's selectedCandidatePairId (the
 * standard), a pair flagged `selected`, the nominated pair that succeeded.
 */
export function selectedPair<E extends StatsEntry>(
  entries: Iterable<E>,
): { pair: E | undefined; byId: Map<string, E> } {
  const byId = new Map<string, E>();
  for (const entry of entries) byId.set(entry.id, entry);
  let pair: E | undefined;
  for (const entry of byId.values()) {
    if (entry.type === "transport" && entry.selectedCandidatePairId) pair ??= byId.get(entry.selectedCandidatePairId);
  }
  const pairs = [...byId.values()].filter((e) => e.type === "candidate-pair");
  pair ??= pairs.find((e) => e.selected === true);
  pair ??= pairs.find((e) => e.nominated && e.state === "succeeded");
  return { pair, byId };
}

/** The path from a getStats() report. */
export function pathFromStats(entries: Iterable<StatsEntry>): IcePath {
  const { pair, byId } = selectedPair(entries);
  const local = pair?.localCandidateId ? byId.get(pair.localCandidateId) : undefined;
  if (!local?.candidateType) return "unknown";
  return local.candidateType === "relay" ? "relayed" : "direct";
}
