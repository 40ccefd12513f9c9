// Which path a peer connection's media takes, read from getStats: the
// selected pair goes through a TURN relay when either end of it is a relay.
// Pure (no DOM), so it is unit-tested in Node with each browser's shapes.

export type IcePath = "direct" | "relayed" | "unknown";

export interface StatsEntry {
  type: string;
  id: string;
  selectedCandidatePairId?: string;
  localCandidateId?: string;
  remoteCandidateId?: string;
  candidateType?: string;
  address?: string;
  /** Older name of `address`. */
  ip?: string;
  port?: number;
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

/**
 * Whether a remote candidate is the peer's relay. A check from the peer's
 * relay can arrive before the relay candidate itself does; the browser then
 * files that address as peer-reflexive, and the relay candidate that comes
 * later carries the same address and port.
 */
function isRemoteRelay<E extends StatsEntry>(remote: E | undefined, byId: Map<string, E>): boolean {
  if (remote?.candidateType === "relay") return true;
  if (remote?.candidateType !== "prflx") return false;
  const address = remote.address ?? remote.ip;
  if (!address || remote.port === undefined) return false;
  for (const entry of byId.values()) {
    if (entry.type === "remote-candidate" && entry.candidateType === "relay") {
      if ((entry.address ?? entry.ip) === address && entry.port === remote.port) return true;
    }
  }
  return false;
}

/**
 * The path from a getStats() report. Relayed when either end of the selected
 * pair is a relay: behind a symmetric NAT one side relays and the other
 * sends straight to that relay (TURN permissions are per address, not per
 * port), so its own end looks direct while its media goes through TURN.
 */
export function pathFromStats(entries: Iterable<StatsEntry>): IcePath {
  const { pair, byId } = selectedPair(entries);
  const local = pair?.localCandidateId ? byId.get(pair.localCandidateId) : undefined;
  if (!local?.candidateType) return "unknown";
  if (local.candidateType === "relay") return "relayed";
  const remote = pair?.remoteCandidateId ? byId.get(pair.remoteCandidateId) : undefined;
  return isRemoteRelay(remote, byId) ? "relayed" : "direct";
}
