// The safety code, against the formula in docs/security.md computed here
// with Node's own crypto: another client following the document must show
// the same digits.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fingerprint, groups, safetyCode } from "../../site/src/peer/safety-code";

/** A fingerprint as browsers write it, made from any text. */
const made = (seed: string) =>
  "sha-256 " +
  createHash("sha256")
    .update(seed)
    .digest("hex")
    .toUpperCase()
    .replace(/..(?=.)/g, "$&:");

/** The formula, written out again from the document's words. */
function expected(a: string, b: string): { value: number; code: string } {
  const [first, second] = a < b ? [a, b] : [b, a];
  const digest = createHash("sha256").update(`tincan-safety-v1\n${first}\n${second}`, "utf8").digest();
  const value = digest.readUIntBE(0, 5);
  return { value, code: String(value % 10 ** 12).padStart(12, "0") };
}

const sdp = (...lines: string[]) => ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", ...lines, ""].join("\r\n");

describe("safetyCode", () => {
  it("matches the worked example in docs/security.md", async () => {
    const alice = made("alice");
    const bob = made("bob");
    expect(alice).toBe(
      "sha-256 2B:D8:06:C9:7F:0E:00:AF:1A:1F:C3:32:8F:A7:63:A9:26:97:23:C8:DB:8F:AC:4F:93:AF:71:DB:18:6D:6E:90",
    );
    expect(bob).toBe(
      "sha-256 81:B6:37:D8:FC:D2:C6:DA:63:59:E6:96:31:13:A1:17:0D:E7:95:E4:B7:25:B8:4D:1E:0B:4C:FD:9E:C5:8C:E9",
    );
    expect(expected(alice, bob).code).toBe("391781688685");
    expect(await safetyCode(alice, bob)).toBe("391781688685");
    expect(groups("391781688685")).toBe("3917 8168 8685");
  });

  it("matches the document's second example, where the five bytes pass 10^12", async () => {
    const [x, y] = [made("x1"), made("y1")];
    expect(x).toBe(
      "sha-256 EC:31:68:2F:DE:56:19:17:95:2F:F7:8A:7A:8A:DE:FF:D0:FE:BC:37:2D:D2:68:71:91:6C:46:C6:30:38:1B:45",
    );
    expect(y).toBe(
      "sha-256 03:E0:76:9B:10:88:6A:EF:0F:F2:17:08:51:DD:67:D4:17:55:C8:70:37:C4:31:9D:99:01:E7:FD:F5:18:C4:85",
    );
    expect(expected(x, y)).toEqual({ value: 0xedd4202010, code: "021466124304" });
    expect(groups(await safetyCode(x, y))).toBe("0214 6612 4304");
  });

  it("is the same whichever fingerprint is given first, and differs when either changes", async () => {
    for (let i = 0; i < 50; i++) {
      const [a, b, c] = [made(`a${i}`), made(`b${i}`), made(`c${i}`)];
      const code = await safetyCode(a, b);
      expect(code).toBe(expected(a, b).code);
      expect(await safetyCode(b, a)).toBe(code);
      expect(await safetyCode(a, c)).not.toBe(code);
      expect(await safetyCode(c, b)).not.toBe(code);
    }
  });

  it("folds values past 10^12 and pads small ones to twelve digits", async () => {
    const pairs = Array.from({ length: 2_000 }, (_, i) => [made(`x${i}`), made(`y${i}`)] as const);
    const big = pairs.find(([a, b]) => expected(a, b).value >= 10 ** 12)!;
    const small = pairs.find(([a, b]) => expected(a, b).value < 10 ** 10)!;
    expect(big).toBeDefined();
    expect(small).toBeDefined();
    for (const [a, b] of [big, small]) {
      const code = await safetyCode(a, b);
      expect(code).toMatch(/^\d{12}$/);
      expect(code).toBe(expected(a, b).code);
    }
    expect(await safetyCode(...small)).toMatch(/^00/);
    expect(groups("000012345678")).toBe("0000 1234 5678");
  });
});

describe("fingerprint", () => {
  const one = made("one");
  const two = made("two");

  it("reads the first line: session level before media level", () => {
    const description = sdp(
      `a=fingerprint:${one}`,
      "m=audio 9 UDP/TLS/RTP/SAVPF 111",
      `a=fingerprint:${two}`,
      "m=video 9 UDP/TLS/RTP/SAVPF 96",
      `a=fingerprint:${two}`,
    );
    expect(fingerprint(description)).toBe(one);
  });

  it("takes the first media section's where there is no session-level line", () => {
    const description = sdp(
      "a=group:BUNDLE 0 1",
      "m=audio 9 UDP/TLS/RTP/SAVPF 111",
      `a=fingerprint:${one}`,
      "a=setup:actpass",
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
      `a=fingerprint:${one}`,
    );
    expect(fingerprint(description)).toBe(one);
  });

  it("writes the hash name in lower case and the hex in upper case, whatever the SDP did", () => {
    const [name, hex] = one.split(" ") as [string, string];
    const description = sdp(
      "m=audio 9 UDP/TLS/RTP/SAVPF 111",
      `a=fingerprint:${name.toUpperCase()} ${hex.toLowerCase()}`,
    );
    expect(fingerprint(description)).toBe(one);
    expect(fingerprint(sdp(`a=fingerprint:${one}`).replaceAll("\r\n", "\n"))).toBe(one);
  });

  it("is null without a fingerprint", () => {
    expect(fingerprint(undefined)).toBeNull();
    expect(fingerprint("")).toBeNull();
    expect(fingerprint(sdp("m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=setup:actpass"))).toBeNull();
    expect(fingerprint(sdp("a=fingerprint:sha-256"))).toBeNull();
    // Not at the start of a line: not an attribute.
    expect(fingerprint(sdp(`s=a=fingerprint:${one}`))).toBeNull();
  });
});
