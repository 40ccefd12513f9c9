// The iframe API's postMessage readers (protocol/embed.ts): they take what
// any window may post, so they accept exactly our shapes and never throw.
import { describe, expect, it } from "vitest";
import { EMBED_TAG, isPlainOrigin, readFrameCommand, readFrameEvent } from "../../protocol/embed";

const tagged = (value: object) => ({ ...value, tag: EMBED_TAG });

describe("the iframe API's messages", () => {
  it("reads every command and event of ours", () => {
    expect(readFrameCommand(tagged({ type: "mute", muted: true }))).toEqual({ type: "mute", muted: true });
    expect(readFrameCommand(tagged({ type: "camera", on: false }))).toEqual({ type: "camera", on: false });
    expect(readFrameCommand(tagged({ type: "share-screen", on: true }))).toEqual({ type: "share-screen", on: true });
    expect(readFrameCommand(tagged({ type: "hand", raised: true }))).toEqual({ type: "hand", raised: true });
    expect(readFrameCommand(tagged({ type: "lock", locked: false }))).toEqual({ type: "lock", locked: false });
    expect(readFrameCommand(tagged({ type: "leave", extra: 1 }))).toEqual({ type: "leave" });
    const ada = { id: "a1", name: "Ada" };
    expect(readFrameEvent(tagged({ type: "ready" }))).toEqual({ type: "ready" });
    expect(readFrameEvent(tagged({ type: "joined", self: ada }))).toEqual({ type: "joined", self: ada });
    for (const type of ["peer-joined", "peer-left", "knock"]) {
      expect(readFrameEvent(tagged({ type, peer: { ...ada, more: true } }))).toEqual({ type, peer: ada });
    }
    expect(readFrameEvent(tagged({ type: "left", reason: "left" }))).toEqual({ type: "left", reason: "left" });
  });

  it("ignores others' messages, wrong shapes and garbage, without throwing", () => {
    const garbage: unknown[] = [
      null,
      undefined,
      0,
      "mute",
      [],
      [EMBED_TAG],
      { type: "mute", muted: true },
      { type: "mute", muted: true, tag: "someone-else" },
      tagged({ type: "mute", muted: "yes" }),
      tagged({ type: "mute" }),
      tagged({ type: "camera", on: 1 }),
      tagged({ type: "lock" }),
      tagged({ type: "explode" }),
      tagged({ type: 5 }),
      tagged({ type: "joined" }),
      tagged({ type: "joined", self: { id: 1, name: "x" } }),
      tagged({ type: "peer-left", peer: null }),
      tagged({ type: "peer-left", peer: { id: "x".repeat(65), name: "n" } }),
      tagged({ type: "left", reason: 4 }),
      tagged({ type: "left", reason: "r".repeat(41) }),
      JSON.parse('{"__proto__": {"tag": "tincan-embed", "type": "leave"}}'),
      Object.create({ tag: EMBED_TAG, type: "leave" }),
    ];
    for (const value of garbage) {
      expect(readFrameCommand(value), JSON.stringify(value)).toBeNull();
      expect(readFrameEvent(value), JSON.stringify(value)).toBeNull();
    }
  });

  it("takes a parent origin only as scheme, host and port", () => {
    for (const good of ["https://app.example", "http://127.0.0.1:8080"]) expect(isPlainOrigin(good)).toBe(true);
    for (const bad of ["", "app.example", "https://app.example/", "https://app.example/path", "javascript:1", "*"]) {
      expect(isPlainOrigin(bad), bad).toBe(false);
    }
  });
});
