// Bad links: long and lossy ones, and a slow one. The kernel here has no
// netem, so the lab builds its own (../lab/lab.ts `impair`): loss from
// iptables' statistic match, delay from the lab's NFQUEUE program
// (../delay/delay.c), rate from tbf. The first case proves the tool itself.
import { describe, expect, it } from "vitest";
import { chatTexts, clickButton, offerRandomFile, sendChat } from "../../browser/support/peer-page.ts";
import { waitUntil, type Evaluator } from "../../browser/support/evaluator.ts";
import { run } from "../lab/run.ts";
import { INTERNET, type RouterName } from "../lab/plan.ts";
import type { Impairment } from "../lab/lab.ts";
import { FIRST, SECOND, mediaTotals, startCall, type LabCall } from "../support/calls.ts";
import type { LabSession } from "../support/suite.ts";

/** Round trips of `count` pings from a host to the internet: their mean and how many came back. */
async function ping(session: LabSession, count: number): Promise<{ meanMs: number; received: number }> {
  const out = await run("ip", [
    "netns",
    "exec",
    session.lab.ns("host", "cone1"),
    "ping",
    "-q",
    "-n",
    "-c",
    String(count),
    "-i",
    "0.01",
    "-W",
    "2",
    INTERNET.tincan,
  ]).catch((error: Error) => error.message);
  const received = Number(/(\d+) received/.exec(out)?.[1] ?? NaN);
  const meanMs = Number(/= [\d.]+\/([\d.]+)\//.exec(out)?.[1] ?? NaN);
  return { meanMs, received };
}

/** Chat both ways: every one of `count` messages arrives, in order. */
async function chatAllWays(call: LabCall, count: number, timeoutMs: number): Promise<void> {
  const lines = (from: string) => Array.from({ length: count }, (_, i) => `${from} says ${i + 1} of ${count}`);
  for (const [page, from] of [
    [call.first, FIRST],
    [call.second, SECOND],
  ] as const) {
    for (const line of lines(from)) await sendChat(page, line);
  }
  for (const [page, from] of [
    [call.second, FIRST],
    [call.first, SECOND],
  ] as const) {
    await expect
      .poll(async () => (await chatTexts(page)).filter((text) => text.startsWith(`${from} says`)), {
        timeout: timeoutMs,
      })
      .toEqual(lines(from));
  }
}

/** A file from the first page to the second, accepted, checked (the page's own SHA-256), and its digest compared. */
async function fileArrives(call: LabCall, bytes: number, timeoutMs: number): Promise<void> {
  const name = `over-a-bad-link-${bytes}.bin`;
  const sha = await offerRandomFile(call.first, name, bytes);
  await clickButton(call.second, `Accept ${name}`);
  await waitUntil(
    call.second,
    (file) => [...document.querySelectorAll("a[download]")].some((a) => a.textContent === `Download ${file}`),
    name,
    { timeoutMs, what: `${name} to arrive` },
  );
  const received = await call.second.evaluate(async (file) => {
    const link = [...document.querySelectorAll<HTMLAnchorElement>("a[download]")].find(
      (a) => a.textContent === `Download ${file}`,
    )!;
    const digest = await crypto.subtle.digest("SHA-256", await (await fetch(link.href)).arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }, name);
  expect(received).toBe(sha);
}

/** The page's audio over `ms`: packets received and the longest stretch with none. */
async function audioOver(page: Evaluator, ms: number): Promise<{ packetsPerSecond: number; longestSilenceMs: number }> {
  return page.evaluate(async (span) => {
    const receiver = window.__tincanPeerConnections
      .find((pc) => pc.connectionState !== "closed")
      ?.getReceivers()
      .find((r) => r.track.kind === "audio");
    if (!receiver) throw new Error("no audio receiver");
    const packets = async () => {
      let n = 0;
      (await receiver.getStats()).forEach((r: { type: string; packetsReceived?: number }) => {
        if (r.type === "inbound-rtp") n = r.packetsReceived ?? 0;
      });
      return n;
    };
    const start = await packets();
    let newest = 0;
    let heardAt = performance.now();
    let longest = 0;
    const began = performance.now();
    while (performance.now() - began < span) {
      const latest = Math.max(0, ...receiver.getSynchronizationSources().map((s) => s.timestamp));
      const now = performance.now();
      if (latest > newest) {
        newest = latest;
        heardAt = now;
      }
      longest = Math.max(longest, now - heardAt);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { packetsPerSecond: ((await packets()) - start) / (span / 1000), longestSilenceMs: longest };
  }, ms);
}

const BOTH: RouterName[] = ["cone1", "cone2"];

export function linkCases(session: LabSession): void {
  describe("bad links", () => {
    async function impairBoth(impairment: Impairment): Promise<void> {
      await Promise.all(BOTH.map((router) => session.lab.impair(router, impairment, session.delayTool)));
    }

    it("delays and drops what the lab asks of a link (the lab's own tool, checked)", async () => {
      expect((await ping(session, 20)).meanMs).toBeLessThan(5);
      await session.lab.impair("cone1", { delayMs: 50 }, session.delayTool);
      const delayed = await ping(session, 20);
      // 50 ms each way, on the home's own link only.
      expect(delayed.received).toBe(20);
      expect(delayed.meanMs).toBeGreaterThanOrEqual(100);
      expect(delayed.meanMs).toBeLessThan(115);
      await session.lab.impair("cone1", { loss: 0.2 }, session.delayTool);
      // 20% each way: 36% of round trips lost on average; 200 pings land far inside these bounds.
      const lossy = await ping(session, 200);
      expect(lossy.received).toBeGreaterThan(200 * 0.45);
      expect(lossy.received).toBeLessThan(200 * 0.8);
    });

    for (const [label, impairment, timeoutMs, fileBytes] of [
      ["50 ms each way with 5% loss", { delayMs: 50, loss: 0.05 }, 30_000, 64 * 1024],
      ["150 ms each way with 20% loss", { delayMs: 150, loss: 0.2 }, 60_000, 4 * 1024],
    ] as const) {
      it(`connects, chats and sends a file over ${label} on both homes' links`, async () => {
        // The pages load before the links go bad: what is proved is the call, not an HTTP page load over 36% loss.
        const call = await startCall(
          session,
          { host: "cone1", engine: "chromium" },
          { host: "cone2", engine: "firefox" },
          { timeoutMs, beforeJoin: () => impairBoth(impairment) },
        );
        console.log(`[links] ${label}: connected ${call.connectMs.toFixed(0)} ms after Join`);
        await chatAllWays(call, 3, timeoutMs);
        await fileArrives(call, fileBytes, timeoutMs);
      });
    }

    it("keeps audio flowing on a 500 kbit/s link", async () => {
      await session.lab.impair("cone1", { rateKbit: 500 }, session.delayTool);
      const call = await startCall(
        session,
        { host: "cone1", engine: "chromium" },
        { host: "cone2", engine: "firefox" },
      );
      // Both send their camera too: the budgets and the browsers' own congestion control must leave room for audio.
      await expect.poll(async () => (await mediaTotals(call.first)).frames, { timeout: 15_000 }).toBeGreaterThan(0);
      const heard = await Promise.all([audioOver(call.first, 6_000), audioOver(call.second, 6_000)]);
      console.log(`[links] 500 kbit/s: audio ${JSON.stringify(heard)}`);
      for (const audio of heard) {
        // Opus sends 50 packets a second.
        expect(audio.packetsPerSecond).toBeGreaterThan(40);
        expect(audio.longestSilenceMs).toBeLessThan(500);
      }
    });
  });
}
