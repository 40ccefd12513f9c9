// One socket throws 10,000 hostile frames into a room while two honest
// peers exchange 500 signals in it. The room must answer every bad frame
// with a protocol error, never throw, and deliver every honest signal
// exactly once with nothing else mixed in. (Frame budgets are lifted in
// this project: the fuzzer is about parsing, the limiter has its own tests.)
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ErrorCode, PING_FRAME } from "../../protocol";
import { TestPeer, uniqueRoom } from "../worker/peers";
import { captureConsole } from "../worker-turn/secrets";
import { frameGenerator, prng } from "./frames";

const FUZZ_FRAMES = 10_000;
const HONEST_SIGNALS = 500;
const PROTOCOL_CODES = new Set<string>(Object.values(ErrorCode));

describe("fuzzing a room", () => {
  it("answers 10,000 hostile frames with protocol errors while an honest pair loses nothing", async () => {
    const seed = Number(env.FUZZ_SEED || Date.now() % 1_000_000);
    const random = prng(seed);
    const room = uniqueRoom("fuzz");
    const { result, lines } = await captureConsole(async () => {
      const alice = await TestPeer.join(room, "Alice");
      const bob = await TestPeer.join(room, "Bob");
      const fuzzer = await TestPeer.join(room, "Fuzzer");
      expect(await alice.next()).toMatchObject({ type: "peer-joined" }); // Bob
      expect(await alice.next()).toMatchObject({ type: "peer-joined" }); // Fuzzer
      expect(await bob.next()).toMatchObject({ type: "peer-joined" }); // Fuzzer

      // Ids that look real but are not in the room; never the honest ones.
      const strangers = ["nobody", "x".repeat(16), "AAAAAAAAAAAAAAAA", fuzzer.id.split("").reverse().join("")];
      const next = frameGenerator(random, strangers);
      let expectedAnswers = 0;
      let honestSent = 0;
      for (let i = 0; i < FUZZ_FRAMES; i++) {
        const frame = next();
        // A well-formed `leave` would end the fuzzer's own socket: skip it.
        if (typeof frame === "string" && /"type"\s*:\s*"leave"/.test(frame)) continue;
        fuzzer.send(frame);
        expectedAnswers += 1;
        if (i % 20 === 0 && honestSent < HONEST_SIGNALS) {
          const [from, to] = honestSent % 2 === 0 ? [alice, bob] : [bob, alice];
          from.send({ type: "signal", to: to.id, data: { seq: honestSent } });
          honestSent += 1;
        }
        // Let the room breathe now and then, as a network would.
        if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      while (honestSent < HONEST_SIGNALS) {
        const [from, to] = honestSent % 2 === 0 ? [alice, bob] : [bob, alice];
        from.send({ type: "signal", to: to.id, data: { seq: honestSent } });
        honestSent += 1;
      }
      // Everything sent has been handled once this round trip comes back.
      fuzzer.send(PING_FRAME);
      expectedAnswers += 1;
      const deadline = Date.now() + 60_000;
      while (fuzzer.history.length < expectedAnswers && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { alice, bob, fuzzer, expectedAnswers, open: fuzzer.ws.readyState === WebSocket.READY_STATE_OPEN };
    });
    const { alice, bob, fuzzer, expectedAnswers } = result;
    const context = `seed ${seed} (rerun with FUZZ_SEED=${seed})`;

    // The fuzzer's socket survived, and every frame got exactly one answer.
    expect(result.open, context).toBe(true);
    const answers = fuzzer.history.slice(1).map((f) => JSON.parse(f) as { type: string; code?: string });
    expect(answers.length, context).toBe(expectedAnswers);
    for (const answer of answers) {
      if (answer.type === "error")
        expect(PROTOCOL_CODES.has(answer.code!), `${context}: ${JSON.stringify(answer)}`).toBe(true);
      else expect(["pong", "ice-servers"], `${context}: ${JSON.stringify(answer)}`).toContain(answer.type);
    }
    expect(answers.filter((a) => a.type === "error").length).toBeGreaterThan(FUZZ_FRAMES * 0.8);

    // The honest pair got exactly each other's signals, once, in order, and nothing else.
    // Skip what came before the fuzzing: Alice saw welcome and two joins, Bob welcome and one.
    const received = (peer: TestPeer, skip: number) => peer.history.slice(skip).map((f) => JSON.parse(f) as unknown);
    const expected = (parity: number, from: TestPeer) =>
      Array.from({ length: HONEST_SIGNALS / 2 }, (_, k) => ({
        type: "signal",
        from: from.id,
        data: { seq: 2 * k + parity },
      }));
    expect(received(bob, 2), context).toEqual(expected(0, alice));
    expect(received(alice, 3), context).toEqual(expected(1, bob));

    // Nothing was thrown or logged as an internal error.
    expect(
      lines.filter((l) => /error|exception/i.test(l) && !l.includes('"level":"warn"')),
      context,
    ).toEqual([]);
  }, 120_000);

  it("answers 10,000 hostile frames from a knocker with refusals, and the seated pair hear nothing of it", async () => {
    const seed = Number(env.FUZZ_SEED || Date.now() % 1_000_000) + 1;
    const random = prng(seed);
    const room = uniqueRoom("fuzz-lobby");
    const context = `seed ${seed} (rerun with FUZZ_SEED=${seed - 1})`;
    const { result, lines } = await captureConsole(async () => {
      const alice = await TestPeer.join(room, "Alice");
      const bob = await TestPeer.join(room, "Bob");
      expect(await alice.next()).toMatchObject({ type: "peer-joined" });
      alice.send({ type: "lock", locked: true });
      for (const peer of [alice, bob]) expect(await peer.next()).toMatchObject({ type: "room", locked: true });
      const knocker = await TestPeer.connect(room, "?name=Fuzzer");
      const lobby = await knocker.next();
      if (lobby.type !== "lobby") throw new Error(`expected lobby, got ${JSON.stringify(lobby)}`);
      for (const peer of [alice, bob]) expect(await peer.next()).toMatchObject({ type: "knock" });
      const seen = { alice: alice.history.length, bob: bob.history.length };

      // The real ids too: a knocker must not reach the seated, nor admit itself.
      const next = frameGenerator(random, [alice.id, bob.id, lobby.id, "nobody"], { knocking: true });
      let expectedAnswers = 0;
      let honestSent = 0;
      const honest = () => {
        const [from, to] = honestSent % 2 === 0 ? [alice, bob] : [bob, alice];
        from.send({ type: "signal", to: to.id, data: { seq: honestSent } });
        honestSent += 1;
      };
      for (let i = 0; i < FUZZ_FRAMES; i++) {
        const frame = next();
        if (typeof frame === "string" && /"type"\s*:\s*"leave"/.test(frame)) continue;
        knocker.send(frame);
        expectedAnswers += 1;
        if (i % 20 === 0 && honestSent < HONEST_SIGNALS) honest();
        if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      while (honestSent < HONEST_SIGNALS) honest();
      knocker.send(PING_FRAME);
      expectedAnswers += 1;
      const deadline = Date.now() + 60_000;
      while (knocker.history.length - 1 < expectedAnswers && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const status = await (await exports.default.fetch(`http://tincan.test/api/rooms/${room}`)).json();
      return {
        alice,
        bob,
        knocker,
        seen,
        expectedAnswers,
        status,
        open: knocker.ws.readyState === WebSocket.READY_STATE_OPEN,
      };
    });
    const { alice, bob, knocker, seen, expectedAnswers } = result;

    expect(result.open, context).toBe(true);
    const answers = knocker.history.slice(1).map((f) => JSON.parse(f) as { type: string; code?: string });
    expect(answers.length, context).toBe(expectedAnswers);
    for (const answer of answers) {
      if (answer.type === "error")
        expect(PROTOCOL_CODES.has(answer.code!), `${context}: ${JSON.stringify(answer)}`).toBe(true);
      else expect(answer.type, `${context}: ${JSON.stringify(answer)}`).toBe("pong");
    }
    expect(
      answers.some((a) => a.code === ErrorCode.notAdmitted),
      context,
    ).toBe(true);

    // Still two seated, still locked, and the pair got only each other's signals.
    expect(result.status, context).toMatchObject({ peers: 2, locked: true });
    const after = (peer: TestPeer, skip: number) => peer.history.slice(skip).map((f) => JSON.parse(f) as unknown);
    const expected = (parity: number, from: TestPeer) =>
      Array.from({ length: HONEST_SIGNALS / 2 }, (_, k) => ({
        type: "signal",
        from: from.id,
        data: { seq: 2 * k + parity },
      }));
    expect(after(bob, seen.bob), context).toEqual(expected(0, alice));
    expect(after(alice, seen.alice), context).toEqual(expected(1, bob));
    expect(
      lines.filter((l) => /error|exception/i.test(l) && !l.includes('"level":"warn"')),
      context,
    ).toEqual([]);
  }, 120_000);
});
