// One PeerJS socket throws 10,000 hostile frames while an honest pair
// exchanges 500 frames. The server must answer bad frames with ERROR, never
// throw, keep the fuzzer's socket, and deliver every honest frame exactly
// once, in order, with nothing else mixed in. (Budgets lifted: see ./fuzz.test.ts.)
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PeerJsClient, uniqueId } from "../worker-peerjs/peerjs-client";
import { captureConsole } from "../worker-turn/secrets";
import { prng } from "./frames";
import { peerJsFrameGenerator } from "./peerjs-frames";

const FUZZ_FRAMES = 10_000;
const HONEST_FRAMES = 500;
const SYNC = "end of fuzzing";

describe("fuzzing the PeerJS endpoint", () => {
  it("answers 10,000 hostile frames with ERROR or EXPIRE while an honest pair loses nothing", async () => {
    const seed = Number(env.FUZZ_SEED || Date.now() % 1_000_000) + 2;
    const context = `seed ${seed} (rerun with FUZZ_SEED=${seed - 2})`;
    const random = prng(seed);
    const { result, lines } = await captureConsole(async () => {
      const alice = await PeerJsClient.open(uniqueId("alice"));
      const bob = await PeerJsClient.open(uniqueId("bob"));
      const fuzzer = await PeerJsClient.open(uniqueId("fuzzer"));
      const strangers = [uniqueId("nobody"), uniqueId("ghost"), "x", "A-B_C D"];
      const next = peerJsFrameGenerator(random, strangers, [alice.id, bob.id]);
      let honestSent = 0;
      const honest = () => {
        const [from, to] = honestSent % 2 === 0 ? [alice, bob] : [bob, alice];
        from.to(to.id, honestSent < 2 ? "OFFER" : "CANDIDATE", { seq: honestSent });
        honestSent += 1;
      };
      for (let i = 0; i < FUZZ_FRAMES; i++) {
        fuzzer.send(next());
        if (i % 20 === 0 && honestSent < HONEST_FRAMES) honest();
        if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      while (honestSent < HONEST_FRAMES) honest();
      // Frames are handled in order: once this one's ERROR is back, all were.
      fuzzer.send(SYNC);
      const deadline = Date.now() + 60_000;
      while (
        !fuzzer.history.some((f) => f.includes("not valid JSON") && f === fuzzer.history.at(-1)) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { alice, bob, fuzzer, open: fuzzer.ws.readyState === WebSocket.READY_STATE_OPEN };
    });
    const { alice, bob, fuzzer } = result;

    // The fuzzer kept its socket; it heard ERRORs, and EXPIREs from ids nobody
    // held (strangers, or their mutations), never from the honest pair.
    expect(result.open, context).toBe(true);
    const answers = fuzzer.history.slice(1).map((f) => JSON.parse(f) as { type: string; src?: string; dst?: string });
    const errors = answers.filter((a) => a.type === "ERROR").length;
    expect(errors, context).toBeGreaterThan(FUZZ_FRAMES * 0.5);
    expect(errors, context).toBeLessThanOrEqual(FUZZ_FRAMES + 1);
    for (const answer of answers.filter((a) => a.type !== "ERROR")) {
      expect(answer.type, `${context}: ${JSON.stringify(answer)}`).toBe("EXPIRE");
      expect([alice.id, bob.id], context).not.toContain(answer.src);
      expect(answer.dst, context).toBe(fuzzer.id);
    }

    // The honest pair got exactly each other's frames, once, in order, with the right src.
    const received = (client: PeerJsClient) => client.history.slice(1).map((f) => JSON.parse(f) as unknown);
    const expected = (parity: number, from: PeerJsClient, to: PeerJsClient) =>
      Array.from({ length: HONEST_FRAMES / 2 }, (_, k) => ({
        type: 2 * k + parity < 2 ? "OFFER" : "CANDIDATE",
        src: from.id,
        dst: to.id,
        payload: { seq: 2 * k + parity },
      }));
    expect(received(bob), context).toEqual(expected(0, alice, bob));
    expect(received(alice), context).toEqual(expected(1, bob, alice));
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();

    // Nothing thrown, nothing logged as an internal error.
    expect(
      lines.filter((l) => /error|exception/i.test(l) && !l.includes('"level":"warn"') && !l.includes('"level":"info"')),
      context,
    ).toEqual([]);
  }, 120_000);
});
