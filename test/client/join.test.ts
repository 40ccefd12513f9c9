// joinRoom and openRoom with a fake socket the test plays the server on:
// what it asks the server for, when it resolves, the typed error for every
// refusal, what a Room tells before and after the welcome; roomStatus's
// reading of the server's answer; SentMedia's track bookkeeping.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloseCode, MAX_CHAT_CHARS } from "../../protocol";
import {
  JoinError,
  joinRoom,
  openRoom,
  roomStatus,
  SentMedia,
  type JoinOptions,
  type Room,
} from "../../site/src/client";
import { FakeSocket, NoPeerConnection, WELCOME, installMediaStream } from "./fakes";

beforeAll(installMediaStream);
beforeEach(() => {
  FakeSocket.made.length = 0;
});

const transports = {
  WebSocket: FakeSocket as unknown as NonNullable<JoinOptions["WebSocket"]>,
  RTCPeerConnection: NoPeerConnection as unknown as typeof RTCPeerConnection,
};

/** What joinRoom settled to, once it has. */
async function outcome(joining: Promise<Room>): Promise<Room | JoinError> {
  return joining.catch((error: unknown) => {
    if (error instanceof JoinError) return error;
    throw error;
  });
}

describe("joinRoom", () => {
  it("asks for the room's socket on the server it is given, keeping a path prefix", async () => {
    const joining = joinRoom("https://calls.example/tincan", "k3m-7qxp", { name: "Ada Lovelace", ...transports });
    const url = new URL(FakeSocket.last().url);
    expect(url.origin).toBe("wss://calls.example");
    expect(url.pathname).toBe("/tincan/api/rooms/k3m-7qxp/ws");
    expect(url.searchParams.get("name")).toBe("Ada Lovelace");
    FakeSocket.last().accept();
    FakeSocket.last().deliver(WELCOME);
    await joining;
  });

  it("resolves once welcomed, with self, the peers and the lock, and leaves with a leave frame", async () => {
    const joining = joinRoom("http://127.0.0.1:8787", "room-1", { name: "Ada", ...transports });
    let settled = false;
    void joining.then(() => (settled = true));
    const socket = FakeSocket.last();
    socket.accept();
    await Promise.resolve();
    expect(settled).toBe(false);
    socket.deliver({ ...WELCOME, locked: true, lockedBy: "p-other" });
    const room = await joining;
    expect(room.self).toEqual({ id: "p-self", name: "Ada" });
    expect(room.peers.size).toBe(0);
    expect(room.lockState).toEqual({ locked: true, by: "p-other" });

    const reasons: string[] = [];
    room.on("left", (reason) => reasons.push(reason));
    room.leave();
    expect(socket.frames().map((f) => f.type)).toEqual(["leave"]);
    expect(reasons).toEqual(["left"]);
  });

  it("keeps the room when the socket drops: says reconnecting, resumes with its token, says connected", async () => {
    const joining = joinRoom("http://127.0.0.1:8787", "room-2", { ...transports });
    const first = FakeSocket.last();
    first.accept();
    first.deliver(WELCOME);
    const room = await joining;
    const phases: string[] = [];
    const left: string[] = [];
    room.on("signaling", (status) => phases.push(status.phase));
    room.on("left", (reason) => left.push(reason));
    first.drop(1006);
    expect(phases).toEqual(["reconnecting"]);
    // The backoff's first retry comes within a second or two.
    await expect.poll(() => FakeSocket.made.length, { timeout: 5_000 }).toBe(2);
    const second = FakeSocket.last();
    expect(new URL(second.url).searchParams.get("resume")).toBe("r-1");
    second.accept();
    second.deliver({ ...WELCOME, resumed: true, resumeToken: "r-2" });
    expect(phases).toEqual(["reconnecting", "connected"]);
    expect(left).toEqual([]);
    room.leave();
  });

  for (const [name, frames, code, expected] of [
    ["a full room", [{ type: "error", code: "room-full", message: "full" }], CloseCode.roomFull, "room-full"],
    ["a knock that was denied", [{ type: "lobby", self: { id: "k", name: "Ada" } }], CloseCode.denied, "denied"],
    ["a full lobby", [{ type: "error", code: "lobby-full", message: "full" }], CloseCode.lobbyFull, "lobby-full"],
    ["the same identity joining elsewhere", [], CloseCode.replaced, "replaced"],
  ] as const) {
    it(`rejects with "${expected}" for ${name}`, async () => {
      const joining = outcome(joinRoom("http://127.0.0.1:8787", "room-3", { ...transports }));
      const socket = FakeSocket.last();
      socket.accept();
      for (const frame of frames) socket.deliver(frame);
      socket.drop(code);
      const result = await joining;
      expect(result).toBeInstanceOf(JoinError);
      expect((result as JoinError).code).toBe(expected);
      // Nothing is retried after a refusal.
      expect(FakeSocket.made).toHaveLength(1);
    });
  }

  it("says when the room is locked and it knocks, and resolves once admitted", async () => {
    let waiting = 0;
    const joining = joinRoom("http://127.0.0.1:8787", "room-4", { ...transports, onWaiting: () => (waiting += 1) });
    const socket = FakeSocket.last();
    socket.accept();
    socket.deliver({ type: "lobby", self: { id: "k-1", name: "Ada" } });
    expect(waiting).toBe(1);
    socket.deliver(WELCOME);
    await expect(joining).resolves.toBeDefined();
  });

  it("stops knocking when the app aborts, with left", async () => {
    const abort = new AbortController();
    const joining = outcome(joinRoom("http://127.0.0.1:8787", "room-5", { ...transports, signal: abort.signal }));
    const socket = FakeSocket.last();
    socket.accept();
    socket.deliver({ type: "lobby", self: { id: "k-1", name: "Ada" } });
    abort.abort();
    const result = await joining;
    expect((result as JoinError).code).toBe("left");
    expect(socket.frames().map((f) => f.type)).toEqual(["leave"]);
  });

  for (const [status, body, expected] of [
    [403, { error: "forbidden-origin", message: "no" }, "forbidden-origin"],
    [429, { error: "too-many-joins", message: "later" }, "too-many-joins"],
    [200, { room: "room-6", peers: 0, capacity: 8, locked: false }, "network"],
  ] as const) {
    it(`rejects a refused socket with "${expected}" when the room's HTTP answer is ${status}`, async () => {
      const asked: string[] = [];
      const fetch = (async (input: URL | RequestInfo) => {
        asked.push(String(input));
        return new Response(JSON.stringify(body), { status });
      }) as typeof globalThis.fetch;
      const joining = outcome(joinRoom("http://127.0.0.1:8787/", "room-6", { ...transports, fetch }));
      // The upgrade was refused: the browser only sees a close.
      FakeSocket.last().drop(1006);
      const result = await joining;
      expect((result as JoinError).code).toBe(expected);
      expect(asked).toEqual(["http://127.0.0.1:8787/api/rooms/room-6"]);
    });
  }

  it("rejects with network when the server cannot be reached at all", async () => {
    const fetch = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof globalThis.fetch;
    const joining = outcome(joinRoom("http://127.0.0.1:9", "room-7", { ...transports, fetch }));
    FakeSocket.last().drop(1006);
    expect(((await joining) as JoinError).code).toBe("network");
  });
});

describe("openRoom (a Room at once, for a page that shows the joining)", () => {
  it("gives the Room before any welcome, shows each step in facts, and says joined once seated", async () => {
    const room = openRoom("http://127.0.0.1:8787", "room-8", { name: "Ada", ...transports });
    expect(room.self).toEqual({ id: "", name: "" });
    expect(room.facts.signaling.phase).toBe("connecting");
    const steps: string[] = [];
    room.on("change", (facts) => steps.push(`${facts.signaling.phase}${facts.waiting ? " waiting" : ""}`));
    const joined: unknown[] = [];
    room.on("joined", (self) => joined.push(self));
    const socket = FakeSocket.last();
    socket.accept();
    socket.deliver({ type: "lobby", self: { id: "k-1", name: "Ada" } });
    expect(room.facts.waiting).toBe(true);
    socket.deliver(WELCOME);
    expect(joined).toEqual([{ id: "p-self", name: "Ada" }]);
    expect(room.facts.waiting).toBe(false);
    expect(room.facts.people.map((p) => [p.id, p.self])).toEqual([["p-self", true]]);
    expect(steps.at(-1)).toBe("connected");
    expect(steps).toContain("connected waiting");
    room.leave();
  });

  it("tells of knocks and of an answer that came too late, and keeps the knockers in facts", async () => {
    const room = openRoom("http://127.0.0.1:8787", "room-9", { ...transports });
    const socket = FakeSocket.last();
    socket.accept();
    socket.deliver(WELCOME);
    const heard: string[] = [];
    room.on("knock", (peer) => heard.push(`knock ${peer.id}`));
    room.on("knock-refused", (code) => heard.push(`refused ${code}`));
    socket.deliver({ type: "knock", peer: { id: "k-2", name: "Bo" } });
    expect(room.facts.knocks).toEqual([{ id: "k-2", name: "Bo" }]);
    room.admit("k-2");
    socket.deliver({ type: "error", code: "unknown-knock", message: "answered", peerId: "k-2" });
    expect(heard).toEqual(["knock k-2", "refused unknown-knock"]);
    expect(socket.frames().filter((f) => f.type === "admit")).toEqual([{ type: "admit", peerId: "k-2" }]);
    room.leave();
  });

  it("sends chat only when there is something to say, trimmed and cut to the limit", () => {
    const room = openRoom("http://127.0.0.1:8787", "room-10", { ...transports });
    FakeSocket.last().accept();
    FakeSocket.last().deliver(WELCOME);
    expect(room.chat("   ")).toBeNull();
    expect(room.chat("  hello  ")).toBe("hello");
    expect(room.chat("x".repeat(MAX_CHAT_CHARS + 5))).toHaveLength(MAX_CHAT_CHARS);
    // Chat goes peer to peer: the server never sees a message.
    expect(
      FakeSocket.last()
        .frames()
        .map((f) => f.type),
    ).toEqual([]);
    room.leave();
  });

  it("hears nothing more of the call once it has left", () => {
    const room = openRoom("http://127.0.0.1:8787", "room-11", { ...transports });
    const socket = FakeSocket.last();
    socket.accept();
    socket.deliver(WELCOME);
    const heard: string[] = [];
    room.on("left", (reason) => heard.push(`left ${reason}`));
    room.on("signaling", (s) => heard.push(`signaling ${s.phase}`));
    room.leave();
    socket.drop(1000);
    expect(heard).toEqual(["left left"]);
  });
});

describe("roomStatus", () => {
  const answering = (status: number, body: unknown) =>
    (async () => new Response(JSON.stringify(body), { status })) as typeof globalThis.fetch;

  it("reads the room's answer as documented", async () => {
    const body = { room: "room-12", peers: 2, capacity: 8, locked: true };
    await expect(roomStatus("http://127.0.0.1:8787", "room-12", answering(200, body))).resolves.toEqual(body);
  });

  it("is null for a refusal, an unreachable server, or an answer that is not a status", async () => {
    const unreachable = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof globalThis.fetch;
    for (const fetch of [
      answering(403, { error: "forbidden-origin" }),
      answering(200, { room: "room-12", peers: "2", capacity: 8, locked: false }),
      answering(200, null),
      unreachable,
    ]) {
      await expect(roomStatus("http://127.0.0.1:8787", "room-12", fetch)).resolves.toBeNull();
    }
  });
});

describe("SentMedia (what a room sends, whoever owns the tracks)", () => {
  const track = (kind: "audio" | "video") => ({ kind, enabled: true }) as unknown as MediaStreamTrack;

  it("swaps a track and hands back the one it displaced, never stopping either", () => {
    const mic = track("audio");
    const camera = track("video");
    const media = new SentMedia(new MediaStream());
    expect(media.replaceTrack("audio", mic)).toBeNull();
    expect(media.replaceTrack("video", camera)).toBeNull();
    media.setMic(false);
    const mic2 = track("audio");
    expect(media.replaceTrack("audio", mic2)).toBe(mic);
    // A new track takes the state the person chose, not its own.
    expect(mic2.enabled).toBe(false);
    expect(() => media.replaceTrack("audio", track("video"))).toThrow(TypeError);
  });

  it("puts a screen in the camera's place; a camera chosen meanwhile waits aside and comes back after", () => {
    const camera = track("video");
    const source = new MediaStream();
    source.addTrack(camera);
    const media = new SentMedia(source);
    const sent: (MediaStreamTrack | null)[] = [];
    media.on("track", (_kind, t) => sent.push(t));
    const screen = Object.assign(track("video"), { addEventListener() {} });
    media.shareScreen(screen);
    expect(media.stream.getVideoTracks()).toEqual([screen]);
    const camera2 = track("video");
    expect(media.replaceTrack("video", camera2)).toBe(camera);
    expect(media.stream.getVideoTracks()).toEqual([screen]);
    expect(media.stopScreen()).toBe(screen);
    expect(media.stream.getVideoTracks()).toEqual([camera2]);
    expect(sent).toEqual([screen, camera2]);
    expect(media.hasCamera).toBe(true);
  });
});
