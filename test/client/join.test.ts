// joinRoom with a fake socket the test plays the server on: what it asks the
// server for, when it resolves, and the typed error for every refusal.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloseCode } from "../../protocol";
import { JoinError, joinRoom, type JoinOptions, type Room } from "../../site/src/client";
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
