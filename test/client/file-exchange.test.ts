// The file transfer engine the page and the library share (site/src/call/
// file-exchange.ts), between two exchanges joined by an in-memory channel
// pair: ordered, reliable delivery is all a data channel promises, and all
// this pair does. Speed, backpressure against a real SCTP buffer and the
// browsers' own chunk limits are tested in browsers.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { FileExchange, type Transfer } from "../../site/src/call/file-exchange";
import type { FeaturePeer } from "../../site/src/call/call";

class FakeChannel {
  readyState: RTCDataChannelState = "open";
  binaryType = "blob";
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  other: FakeChannel | null = null;
  /** What this side sent, as text or byte counts, for the tests to look at. */
  readonly log: (string | number)[] = [];
  /** Rewrites (or drops, with null) what this side sends: a broken or hostile peer. */
  tamper: ((data: string | ArrayBuffer) => string | ArrayBuffer | null) | null = null;
  readonly #events = new EventEmitter();

  addEventListener(type: string, listener: (event: unknown) => void, options?: { once?: boolean }): void {
    if (options?.once) this.#events.once(type, listener);
    else this.#events.on(type, listener);
  }
  /** A channel that was still connecting opens. */
  open(): void {
    this.readyState = "open";
    this.#events.emit("open", {});
  }
  removeEventListener(type: string, listener: (event: unknown) => void): void {
    this.#events.off(type, listener);
  }
  send(data: string | ArrayBuffer | ArrayBufferView<ArrayBuffer>): void {
    const payload: string | ArrayBuffer =
      typeof data === "string"
        ? data
        : ArrayBuffer.isView(data)
          ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)
          : data.slice(0);
    this.log.push(typeof payload === "string" ? payload : payload.byteLength);
    const delivered = this.tamper ? this.tamper(payload) : payload;
    if (delivered === null) return;
    // Ordered and asynchronous, as a data channel delivers; what is not yet
    // delivered counts in bufferedAmount, as in a real one, so a sender paces itself.
    const size = typeof delivered === "string" ? delivered.length : delivered.byteLength;
    this.bufferedAmount += size;
    const other = this.other;
    setTimeout(() => {
      const before = this.bufferedAmount;
      this.bufferedAmount -= size;
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) {
        this.#events.emit("bufferedamountlow", {});
      }
      if (other) other.#events.emit("message", { data: delivered });
    }, 0);
  }
}

function pair(): { a: FileExchange; b: FileExchange; toB: FakeChannel; toA: FakeChannel; peerB: FeaturePeer } {
  const toB = new FakeChannel();
  const toA = new FakeChannel();
  toB.other = toA;
  toA.other = toB;
  const peerB: FeaturePeer = { id: "b", name: "Bea", channel: toB as unknown as RTCDataChannel };
  const peerA: FeaturePeer = { id: "a", name: "Al", channel: toA as unknown as RTCDataChannel };
  const a = new FileExchange();
  const b = new FileExchange();
  a.attach(peerB);
  b.attach(peerA);
  return { a, b, toB, toA, peerB };
}

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
  return bytes;
}

/** Resolves with the first transfer of `exchange` for which `check` holds. */
function when(exchange: FileExchange, check: (t: Transfer) => boolean): Promise<Transfer> {
  return new Promise((resolve) => {
    const stop = exchange.on("progress", (t) => {
      if (!check(t)) return;
      stop();
      resolve(t);
    });
  });
}

const offered = (exchange: FileExchange) =>
  new Promise<Transfer>((resolve) => {
    const stop = exchange.on("added", (t) => {
      if (t.direction !== "in") return;
      stop();
      resolve(t);
    });
  });

describe("FileExchange", () => {
  it("offers, and once accepted sends the bytes that the receiver checks and hands over as a Blob", async () => {
    const { a, b } = pair();
    const bytes = randomBytes(200_000);
    const incoming = offered(b);
    const [out] = a.send([new File([bytes], "notes.bin", { type: "text/html" })], null);
    const offer = await incoming;
    expect(offer).toMatchObject({ name: "notes.bin", size: 200_000, mime: "text/html", state: "offered", bytes: 0 });
    const done = when(b, (t) => t.state === "done");
    b.accept(offer.id);
    const received = await done;
    expect(new Uint8Array(await received.blob!.arrayBuffer())).toEqual(bytes);
    // Never the type the sender claimed: a text/html blob opened here would run the peer's script.
    expect(received.blob!.type).toBe("application/octet-stream");
    expect(out!.state).toBe("done");
  });

  it("offers a file chosen while the channel is still opening once it opens, instead of losing the offer", async () => {
    const { a, b, toB } = pair();
    toB.readyState = "connecting";
    const incoming = offered(b);
    const [out] = a.send([new File([randomBytes(10)], "early.bin")], null);
    expect(out!.state).toBe("waiting");
    expect(toB.log).toEqual([]);
    toB.open();
    expect((await incoming).name).toBe("early.bin");
    expect(out!.state).toBe("offered");
  });

  it("sends one file after another per peer, and a decline moves on to the next", async () => {
    const { a, b } = pair();
    const names: string[] = [];
    b.on("added", (t) => {
      names.push(t.name);
      if (t.name === "first.bin") b.decline(t.id);
      else b.accept(t.id);
    });
    const second = when(b, (t) => t.name === "second.bin" && t.state === "done");
    const sent = a.send([new File([randomBytes(10)], "first.bin"), new File([randomBytes(20)], "second.bin")], null);
    expect(sent.map((t) => t.state)).toEqual(["offered", "waiting"]);
    await second;
    expect(names).toEqual(["first.bin", "second.bin"]);
    expect(sent.map((t) => t.state)).toEqual(["declined", "done"]);
  });

  it("lets the receiver cancel mid-way: the sender stops, and says the peer cancelled", async () => {
    const { a, b, toB } = pair();
    const incoming = offered(b);
    const [out] = a.send([new File([randomBytes(12_000_000)], "big.bin")], null);
    const offer = await incoming;
    b.accept(offer.id);
    await when(b, (t) => t.bytes > 100_000);
    b.cancel(offer.id);
    await when(a, (t) => t.state === "cancelled");
    expect(out!.end).toBe("peer-cancelled");
    const chunksSent = toB.log.filter((x) => typeof x === "number").length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(toB.log.filter((x) => typeof x === "number").length).toBe(chunksSent);
    expect(out!.bytes).toBeLessThan(12_000_000);
  });

  it("fails a file whose bytes do not match the sender's SHA-256, and one that runs over its size", async () => {
    const { a, b, toB, toA } = pair();
    let flipped = false;
    toB.tamper = (data) => {
      if (typeof data === "string" || flipped) return data;
      flipped = true;
      const copy = new Uint8Array(data.slice(0));
      copy[0] = copy[0]! ^ 0xff;
      return copy.buffer;
    };
    b.on("added", (t) => t.direction === "in" && b.accept(t.id));
    const corrupt = when(b, (t) => t.state === "failed");
    a.send([new File([randomBytes(50_000)], "flipped.bin")], null);
    expect(await corrupt).toMatchObject({ name: "flipped.bin", end: "not-intact", blob: null });

    // A peer that sends more than it offered is cut off at once, and told.
    toB.tamper = (data) => {
      if (typeof data !== "string") return data;
      const control = JSON.parse(data) as { kind: string; size?: number };
      return control.kind === "offer" ? JSON.stringify({ ...control, size: 10 }) : data;
    };
    const overflow = when(b, (t) => t.name === "long.bin" && t.state === "failed");
    a.send([new File([randomBytes(50_000)], "long.bin")], null);
    const cut = await overflow;
    expect(cut.bytes).toBe(16_384);
    expect(cut.blob).toBeNull();
    expect(toA.log).toContain(JSON.stringify({ kind: "cancel", id: cut.id }));
  });

  it("interrupts what was under way when the peer goes, and forgets finished transfers on remove", async () => {
    const { a, b, peerB } = pair();
    b.on("added", (t) => t.direction === "in" && b.accept(t.id));
    const [gone] = a.send([new File([randomBytes(3_000_000)], "cut.bin")], null);
    await when(a, (t) => t.bytes > 0);
    const removed: string[] = [];
    a.on("removed", (t) => removed.push(t.name));
    a.detach(peerB);
    expect(gone).toMatchObject({ state: "interrupted", end: "connection-lost" });
    a.remove(gone!.id);
    expect(removed).toEqual(["cut.bin"]);
    // Nobody is left to send to.
    expect(a.send([new File([randomBytes(1)], "late.bin")], null)).toEqual([]);
  });

  it("ignores controls for transfers it does not know, and garbage, without throwing", async () => {
    const { b, toA } = pair();
    const added: Transfer[] = [];
    b.on("added", (t) => added.push(t));
    for (const junk of [
      "{",
      "null",
      JSON.stringify({ kind: "accept", id: "nope" }),
      JSON.stringify({ kind: "end", id: "nope", sha256: "0".repeat(64) }),
      JSON.stringify({ kind: "offer", id: "x", name: "", size: 1 }),
    ]) {
      toA.send(junk);
    }
    toA.send(new Uint8Array([1, 2, 3]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(added).toEqual([]);
  });
});
