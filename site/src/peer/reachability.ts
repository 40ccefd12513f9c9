// What a connection check found, in words: whether this browser reaches the
// STUN server (so it learns its public address), whether a TURN relay can
// be allocated and over what, and what that means for calls. Pure: the
// candidates and errors come in, the words go out.

export type RelayTransport = "udp" | "tcp" | "tls";

export interface Gathered {
  /** The candidate types gathered: host, srflx, prflx, relay. */
  types: string[];
  /** How each relay candidate reaches its TURN server. */
  relayTransports: RelayTransport[];
  /** icecandidateerror codes by server URL (401: credentials refused; 701: unreachable). */
  errors: { url: string; code: number }[];
  stunConfigured: boolean;
  turnConfigured: boolean;
}

export interface Reachability {
  stun: string;
  relay: string;
  verdict: string;
}

/** A relay candidate's transport, from the URL of the TURN server it came from. */
export function transportOfUrl(url: string): RelayTransport {
  if (/^turns:/i.test(url)) return "tls";
  return /[?&]transport=tcp/i.test(url) ? "tcp" : "udp";
}

export function describeReachability(g: Gathered): Reachability {
  const srflx = g.types.includes("srflx");
  const relay = g.types.includes("relay");
  const turnErrors = g.errors.filter((e) => /^turns?:/i.test(e.url));
  const refused = turnErrors.some((e) => e.code === 401 || e.code === 403);
  const stun = !g.stunConfigured
    ? "No STUN server is configured."
    : srflx
      ? "This browser reaches the STUN server: it knows its public address."
      : "This browser does not reach the STUN server.";
  const transports = [...new Set(g.relayTransports)].map((t) => t.toUpperCase());
  const relayWords = !g.turnConfigured
    ? "This deployment has no TURN server."
    : relay
      ? `A TURN relay was allocated${transports.length > 0 ? `, over ${transports.join(" and ")}` : ""}.`
      : refused
        ? "Relaying fails: the TURN server refused the credentials."
        : "Relaying fails: no TURN relay could be allocated.";
  const verdict = relay
    ? "Calls to people on other networks will work, through the relay where needed."
    : !g.turnConfigured
      ? srflx
        ? "Direct calls will work; calls between networks that block them need a TURN server, which this deployment does not have."
        : "Calls within this network may work; calls to other networks need a TURN server, which this deployment does not have."
      : "Only direct calls will work: calls between networks that block them will fail.";
  return { stun, relay: relayWords, verdict };
}
