// What a connection check says for what it found. The network lab
// (test/network) checks the same words against real homes of each kind.
import { describe, expect, it } from "vitest";
import { describeReachability, natMapping, transportOfUrl, type Gathered } from "../../site/src/ui/reachability";

const TURN_UDP = "turn:198.51.100.2:3478?transport=udp";
const TURN_TCP = "turn:198.51.100.2:3478?transport=tcp";

const base: Gathered = {
  types: ["host"],
  relayTransports: [],
  mapped: [],
  errors: [],
  stunServers: 2,
  stunConfigured: true,
  turnConfigured: true,
};
const at = (port: number) => ({ address: "198.51.100.11", port });

/** What a browser gathers behind each kind of home router, with STUN on two addresses and TURN over UDP and TCP. */
const homes = {
  cone: { ...base, types: ["host", "srflx", "relay", "relay"], mapped: [at(40000)], relayTransports: ["udp", "tcp"] },
  symmetric: {
    ...base,
    types: ["host", "srflx", "srflx", "relay", "relay"],
    mapped: [at(40000), at(51234)],
    relayTransports: ["udp", "tcp"],
  },
  noUdp: {
    ...base,
    types: ["host", "relay"],
    relayTransports: ["tcp"],
    errors: [{ url: TURN_UDP, code: 701 }],
  },
} satisfies Record<string, Gathered>;

describe("the connection check's words", () => {
  it("tells a cone NAT that direct calls will work, and how the relay is reached", () => {
    const words = describeReachability(homes.cone);
    expect(words.mapping).toBe("endpoint-independent");
    expect(words.verdict).toMatch(/^Direct calls will work/);
    expect(words.relay).toBe("A TURN relay was allocated, over UDP and TCP.");
    expect(words.stun).toContain("reaches the STUN server");
    expect(words.nat).toContain("one outside port");
  });

  it("tells a symmetric NAT that its calls will be relayed", () => {
    const words = describeReachability(homes.symmetric);
    expect(words.mapping).toBe("address-dependent");
    expect(words.verdict).toMatch(/will mostly be relayed/);
    expect(words.nat).toContain("symmetric NAT");
  });

  it("tells a network without UDP that calls will be relayed over TCP", () => {
    const words = describeReachability(homes.noUdp);
    expect(words.udpBlocked).toBe(true);
    expect(words.verdict).toMatch(/^This network blocks UDP: calls will be relayed over TCP/);
    expect(words.stun).toContain("blocks UDP");
    expect(words.relay).toBe("A TURN relay was allocated, over TCP.");
  });

  it("says relayed calls are impossible when the TURN server refuses the credentials, or cannot be reached", () => {
    const refused = describeReachability({
      ...homes.cone,
      types: ["host", "srflx"],
      relayTransports: [],
      errors: [{ url: TURN_UDP, code: 401 }],
    });
    expect(refused.relay).toBe("Relaying fails: the TURN server refused the credentials.");
    expect(refused.verdict).toMatch(
      /^Relayed calls are impossible from here \(the TURN server refused the credentials\): direct calls will work/,
    );
    const unreachable = describeReachability({
      ...homes.cone,
      types: ["host", "srflx"],
      relayTransports: [],
      errors: [
        { url: TURN_UDP, code: 701 },
        { url: TURN_TCP, code: 701 },
      ],
    });
    expect(unreachable.relayOutcome).toBe("unreachable");
    expect(unreachable.verdict).toMatch(
      /^Relayed calls are impossible from here \(the TURN server could not be reached\)/,
    );
  });

  it("says when the deployment has no TURN server at all, and what a strict NAT then cannot do", () => {
    const words = describeReachability({
      ...homes.cone,
      types: ["host", "srflx"],
      relayTransports: [],
      turnConfigured: false,
    });
    expect(words.relay).toBe("This deployment has no TURN server.");
    expect(words.verdict).toContain("need a TURN server, which this deployment does not have");
    const strict = describeReachability({
      ...homes.symmetric,
      types: ["host", "srflx", "srflx"],
      relayTransports: [],
      turnConfigured: false,
    });
    expect(strict.verdict).toMatch(/^Calls to people behind other NATs will fail/);
    expect(describeReachability({ ...base, turnConfigured: false }).stun).toContain("does not reach");
  });

  it("says calls work through the relay when only the STUN server is out of reach", () => {
    const words = describeReachability({ ...base, types: ["host", "relay"], relayTransports: ["udp"] });
    expect(words.udpBlocked).toBe(false);
    expect(words.verdict).toBe("Calls will work, through the relay when a direct path is blocked.");
  });

  it("reads a relay's transport from its server's URL", () => {
    expect(transportOfUrl("turns:t.example:443?transport=tcp")).toBe("tls");
    expect(transportOfUrl("turn:t.example:3478?transport=tcp")).toBe("tcp");
    expect(transportOfUrl("turn:t.example:3478")).toBe("udp");
  });
});

describe("natMapping", () => {
  it("cannot tell from one STUN server, nor when a second one failed", () => {
    expect(natMapping({ ...homes.cone, stunServers: 1 })).toBe("unknown");
    expect(natMapping({ ...homes.cone, errors: [{ url: "stun:198.51.100.3:3478", code: 701 }] })).toBe("unknown");
    expect(natMapping({ ...homes.cone, mapped: [] })).toBe("unknown");
  });

  it("sees a symmetric NAT in two ports, even from one server's two answers", () => {
    expect(natMapping({ ...homes.cone, stunServers: 1, mapped: [at(1), at(2)] })).toBe("address-dependent");
  });
});
