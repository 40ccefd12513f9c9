// What a connection check found, in words: whether this browser reaches the
// STUN servers (so it learns its public address), what kind of NAT it is
// behind, whether UDP gets out at all, whether a TURN relay can be allocated
// and over what, and what all that means for calls. Pure: the candidates and
// errors come in, the words go out.

export type RelayTransport = "udp" | "tcp" | "tls";

export interface Gathered {
  /** The candidate types gathered: host, srflx, prflx, relay. */
  types: string[];
  /** How each relay candidate reaches its TURN server. */
  relayTransports: RelayTransport[];
  /** The outside address and port each server-reflexive candidate shows. */
  mapped: { address: string; port: number }[];
  /** icecandidateerror codes by server URL (401: credentials refused; 701: unreachable). */
  errors: { url: string; code: number }[];
  /** How many different STUN servers (address and port) were asked. */
  stunServers: number;
  stunConfigured: boolean;
  turnConfigured: boolean;
}

/**
 * How the router maps this browser's connections (RFC 4787): one outside
 * port whoever it talks to, or a new one for every server ("symmetric").
 * Two STUN servers that see the same port show the first; two ports, the
 * second; one answer alone shows neither.
 */
export type NatMapping = "endpoint-independent" | "address-dependent" | "unknown";

export type RelayOutcome = "udp" | "tcp-only" | "refused" | "unreachable" | "none";

export interface Reachability {
  /** What it means for calls: the sentence a person reads first. */
  verdict: string;
  stun: string;
  /** The NAT's kind, when the check could tell. */
  nat: string | null;
  relay: string;
  mapping: NatMapping;
  udpBlocked: boolean;
  relayOutcome: RelayOutcome;
}

/** A relay candidate's transport, from the URL of the TURN server it came from. */
export function transportOfUrl(url: string): RelayTransport {
  if (/^turns:/i.test(url)) return "tls";
  return /[?&]transport=tcp/i.test(url) ? "tcp" : "udp";
}

export function natMapping(g: Gathered): NatMapping {
  const ports = new Set(g.mapped.map((m) => `${m.address}:${m.port}`));
  if (ports.size >= 2) return "address-dependent";
  const stunFailed = g.errors.some((e) => /^stuns?:/i.test(e.url));
  // Browsers drop a second candidate identical to the first: one mapping
  // with two servers asked (and none failing) means both saw the same port.
  return ports.size === 1 && g.stunServers >= 2 && !stunFailed ? "endpoint-independent" : "unknown";
}

function relayOutcome(g: Gathered): RelayOutcome {
  if (!g.turnConfigured) return "none";
  if (g.relayTransports.includes("udp")) return "udp";
  if (g.relayTransports.length > 0 || g.types.includes("relay")) return "tcp-only";
  const refused = g.errors.some((e) => /^turns?:/i.test(e.url) && (e.code === 401 || e.code === 403));
  return refused ? "refused" : "unreachable";
}

/** The relay's transports in words, always in one order: "UDP and TCP". */
function transportWords(g: Gathered): string {
  const order: RelayTransport[] = ["udp", "tcp", "tls"];
  return order
    .filter((t) => g.relayTransports.includes(t))
    .map((t) => t.toUpperCase())
    .join(" and ");
}

export function describeReachability(g: Gathered): Reachability {
  const srflx = g.types.includes("srflx") || g.mapped.length > 0;
  const mapping = natMapping(g);
  const relay = relayOutcome(g);
  // Nothing over UDP answered (no STUN, no TURN over UDP) while TCP reached the relay.
  const udpBlocked = g.stunConfigured && !srflx && relay === "tcp-only";
  const stun = !g.stunConfigured
    ? "No STUN server is configured."
    : srflx
      ? "This browser reaches the STUN server: it knows its public address."
      : udpBlocked
        ? "This network blocks UDP: no STUN server answered, and the relay could only be reached over TCP."
        : "This browser does not reach the STUN server.";
  const nat =
    mapping === "endpoint-independent"
      ? "Your router keeps one outside port for each connection, whoever it talks to: direct calls can get through it."
      : mapping === "address-dependent"
        ? "Your router picks a new outside port for every address it talks to (a strict, symmetric NAT)."
        : null;
  const relayWords =
    relay === "none"
      ? "This deployment has no TURN server."
      : relay === "udp" || relay === "tcp-only"
        ? `A TURN relay was allocated${g.relayTransports.length > 0 ? `, over ${transportWords(g)}` : ""}.`
        : relay === "refused"
          ? "Relaying fails: the TURN server refused the credentials."
          : "Relaying fails: the TURN server could not be reached.";
  return {
    verdict: verdict(srflx, mapping, relay, udpBlocked),
    stun,
    nat,
    relay: relayWords,
    mapping,
    udpBlocked,
    relayOutcome: relay,
  };
}

function verdict(srflx: boolean, mapping: NatMapping, relay: RelayOutcome, udpBlocked: boolean): string {
  switch (relay) {
    case "udp":
    case "tcp-only":
      if (udpBlocked) {
        return "This network blocks UDP: calls will be relayed over TCP through the TURN server. They work, with a little more delay than a direct call.";
      }
      if (mapping === "address-dependent") {
        return "Calls from this network will mostly be relayed through the TURN server: its NAT is strict (symmetric), so only people on open networks can be reached directly.";
      }
      return srflx
        ? "Direct calls will work from this network; calls to people behind strict NATs or firewalls will be relayed."
        : "Calls will work, through the relay when a direct path is blocked.";
    case "refused":
    case "unreachable": {
      const why =
        relay === "refused" ? "the TURN server refused the credentials" : "the TURN server could not be reached";
      return srflx
        ? `Relayed calls are impossible from here (${why}): direct calls will work, but calls to people behind strict NATs or firewalls will fail.`
        : `Relayed calls are impossible from here (${why}), and the STUN server does not answer either: only calls within this network can work.`;
    }
    case "none":
      if (mapping === "address-dependent") {
        return "Calls to people behind other NATs will fail: this network's NAT is strict (symmetric), and this deployment has no TURN server to relay them.";
      }
      return srflx
        ? "Direct calls will work; calls between networks that block them need a TURN server, which this deployment does not have."
        : "Calls within this network may work; calls to other networks need a TURN server, which this deployment does not have.";
  }
}
