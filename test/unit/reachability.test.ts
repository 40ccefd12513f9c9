// What a connection check says for what it found.
import { describe, expect, it } from "vitest";
import { describeReachability, transportOfUrl } from "../../site/src/peer/reachability";

const base = { types: ["host"], relayTransports: [], errors: [], stunConfigured: true, turnConfigured: true };

describe("the connection check's words", () => {
  it("says calls to other networks work when a relay was allocated, and over what", () => {
    const words = describeReachability({
      ...base,
      types: ["host", "srflx", "relay", "relay"],
      relayTransports: ["udp", "tls"],
    });
    expect(words.relay).toBe("A TURN relay was allocated, over UDP and TLS.");
    expect(words.stun).toContain("reaches the STUN server");
    expect(words.verdict).toContain("other networks will work");
  });

  it("says relaying fails, and why, when the TURN server refuses the credentials", () => {
    const words = describeReachability({ ...base, errors: [{ url: "turn:t.example:3478?transport=udp", code: 401 }] });
    expect(words.relay).toBe("Relaying fails: the TURN server refused the credentials.");
    expect(words.verdict).toBe("Only direct calls will work: calls between networks that block them will fail.");
  });

  it("says when the deployment has no TURN server at all", () => {
    const words = describeReachability({ ...base, types: ["host", "srflx"], turnConfigured: false });
    expect(words.relay).toBe("This deployment has no TURN server.");
    expect(words.verdict).toContain("need a TURN server, which this deployment does not have");
    expect(describeReachability({ ...base, turnConfigured: false }).stun).toContain("does not reach");
  });

  it("reads a relay's transport from its server's URL", () => {
    expect(transportOfUrl("turns:t.example:443?transport=tcp")).toBe("tls");
    expect(transportOfUrl("turn:t.example:3478?transport=tcp")).toBe("tcp");
    expect(transportOfUrl("turn:t.example:3478")).toBe("udp");
  });
});
