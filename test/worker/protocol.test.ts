import { describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES, cleanDisplayName, newPeerId, newRoomName, normalizeRoomName } from "../../protocol";
import { exceedsFrameLimit, parseClientFrame } from "../../worker/room/frames";

describe("parseClientFrame", () => {
  it("accepts each client message and drops unknown fields", () => {
    expect(parseClientFrame('{"type":"signal","to":"p1","data":{"a":1},"from":"forged","extra":true}')).toEqual({
      ok: true,
      message: { type: "signal", to: "p1", data: { a: 1 } },
    });
    expect(parseClientFrame('{"type":"leave","why":"x"}')).toEqual({ ok: true, message: { type: "leave" } });
    expect(parseClientFrame('{"type":"ping"}')).toEqual({ ok: true, message: { type: "ping" } });
  });

  it("keeps `data` as the object JSON.parse made, __proto__ key included", () => {
    const result = parseClientFrame('{"type":"signal","to":"p","data":{"__proto__":{"x":1}}}');
    expect(result.ok).toBe(true);
    if (!result.ok || result.message.type !== "signal") return;
    expect(Object.getPrototypeOf(result.message.data)).toBe(Object.prototype);
    expect(Object.hasOwn(result.message.data, "__proto__")).toBe(true);
    expect(JSON.stringify(result.message.data)).toBe('{"__proto__":{"x":1}}');
  });

  it.each([
    ['{"type":"signal","to":"","data":{}}', "to"],
    [`{"type":"signal","to":"${"x".repeat(65)}","data":{}}`, "to"],
    ['{"type":"signal","to":"p"}', "data"],
    ['{"type":"signal","to":"p","data":"text"}', "data"],
    ['{"type":null}', "type"],
  ])("names the bad field of %s", (frame, field) => {
    const result = parseClientFrame(frame);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("bad-message");
    expect(result.error.message).toContain(`\`${field}\``);
  });

  it("does not treat inherited names as message types", () => {
    for (const type of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const result = parseClientFrame(JSON.stringify({ type }));
      expect(result).toMatchObject({ ok: false, error: { code: "unknown-type" } });
    }
  });

  it("checks the size limit in UTF-8 bytes", () => {
    expect(exceedsFrameLimit("a".repeat(MAX_FRAME_BYTES))).toBe(false);
    expect(exceedsFrameLimit("a".repeat(MAX_FRAME_BYTES + 1))).toBe(true);
    expect(exceedsFrameLimit("é".repeat(MAX_FRAME_BYTES / 2))).toBe(false);
    expect(exceedsFrameLimit("é".repeat(MAX_FRAME_BYTES / 2 + 1))).toBe(true);
  });
});

describe("room names", () => {
  it("normalizes valid names to lower case and refuses the rest", () => {
    expect(normalizeRoomName("Team_A-1")).toBe("team_a-1");
    expect(normalizeRoomName("")).toBeNull();
    expect(normalizeRoomName("a b")).toBeNull();
    expect(normalizeRoomName("Api")).toBeNull();
    expect(normalizeRoomName("x".repeat(64))).toBe("x".repeat(64));
    expect(normalizeRoomName("x".repeat(65))).toBeNull();
  });

  it("makes fresh names that are valid, unambiguous and do not repeat", () => {
    const names = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const name = newRoomName();
      expect(name).toMatch(/^[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}$/);
      expect(normalizeRoomName(name)).toBe(name);
      names.add(name);
    }
    expect(names.size).toBe(2000);
  });

  it("uses every letter of the alphabet about equally", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      for (const ch of newRoomName().replaceAll("-", "")) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(31);
    // 36,000 letters over 31: about 1161 each; a biased sampler would skew far past this.
    for (const count of counts.values()) expect(count).toBeGreaterThan(950);
  });
});

describe("peer ids and display names", () => {
  it("makes distinct url-safe peer ids", () => {
    const ids = new Set(Array.from({ length: 1000 }, newPeerId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("cleans display names", () => {
    expect(cleanDisplayName("  Ada  ")).toBe("Ada");
    expect(cleanDisplayName("A\u0000d\u001fa\u007f")).toBe("Ada");
    expect(cleanDisplayName("\u202eevil")).toBe("evil");
    expect(cleanDisplayName("x".repeat(41))).toBe("x".repeat(40));
    expect(cleanDisplayName(`${"x".repeat(39)}😀😀`)).toBe(`${"x".repeat(39)}😀`);
    expect(cleanDisplayName("<b>hi</b>")).toBe("<b>hi</b>");
    expect(cleanDisplayName(null)).toMatch(/^Guest \d{4}$/);
    expect(cleanDisplayName("\u0000\u0001")).toMatch(/^Guest \d{4}$/);
  });
});
