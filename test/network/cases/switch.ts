// A network switch in the middle of a call: the person's uplink moves to
// another router (a phone leaving Wi-Fi for mobile data: a new address, a
// new path, and the signaling socket left bound to an address that is gone),
// or their router's outside address changes (every mapping through it is
// gone, with nothing on the person's machine to say so). Media, chat and a
// file in flight must come back without a reload, and the other person must
// never see them leave.
import { describe, expect, it } from "vitest";
import { waitUntil, type Evaluator } from "../../browser/support/evaluator.ts";
import { chatTexts, clickButton, offerRandomFile, sendChat, type Engine } from "../../browser/support/peer-page.ts";
import { FIRST, SECOND, listenForMedia, startCall, tileStatus, waitForFreshMedia } from "../support/calls.ts";
import type { LabSession } from "../support/suite.ts";

const FILE = "in-flight.bin";
/** Large enough to be half-way when the network changes, small enough for a lab link. */
const FILE_BYTES = 3 * 1024 * 1024;

/**
 * How the file ended: its SHA-256 once the page offers the checked
 * download, or the words the page said when the transfer stopped.
 */
async function fileOutcome(page: Evaluator, timeoutMs: number): Promise<{ sha: string } | { stopped: string }> {
  const status = () =>
    page.evaluate(
      () => [...document.querySelectorAll(".transfer-status")].map((el) => el.textContent).join("; "),
      undefined,
    );
  await waitUntil(
    page,
    (file) =>
      [...document.querySelectorAll("a[download]")].some((a) => a.textContent === `Download ${file}`) ||
      [...document.querySelectorAll(".transfer-status")].some((el) => el.textContent?.startsWith("stopped")),
    FILE,
    { timeoutMs, what: `the download of ${FILE}, or the page saying it stopped` },
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}; the transfer says: ${await status()}`);
  });
  const stopped = await page.evaluate(
    () =>
      [...document.querySelectorAll(".transfer-status")].find((el) => el.textContent?.startsWith("stopped"))
        ?.textContent ?? null,
    undefined,
  );
  if (stopped !== null) return { stopped };
  const sha = await page.evaluate(async (file) => {
    const link = [...document.querySelectorAll<HTMLAnchorElement>("a[download]")].find(
      (a) => a.textContent === `Download ${file}`,
    )!;
    const digest = await crypto.subtle.digest("SHA-256", await (await fetch(link.href)).arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }, FILE);
  return { sha };
}

/** How much of the file the page has received (0–1), from its progress bar. */
function received(page: Evaluator): Promise<number> {
  return page.evaluate((file) => {
    const bar = document.querySelector<HTMLProgressElement>(`progress[aria-label="${file} progress"]`);
    return bar ? bar.value / bar.max : 0;
  }, FILE);
}

export function switchCases(session: LabSession): void {
  describe("a network switch in the middle of a call", () => {
    for (const kind of ["the uplink moves to another router", "the router's outside address changes"] as const) {
      for (const [mover, other] of [
        ["chromium", "firefox"],
        ["firefox", "chromium"],
      ] as [Engine, Engine][]) {
        it(`comes back without a reload when ${kind} (${mover} moves, ${other} stays)`, async () => {
          const call = await startCall(session, { host: "cone2", engine: other }, { host: "mobile", engine: mover });
          const [stays, moves] = [call.first, call.second];
          await Promise.all([waitForFreshMedia(stays), waitForFreshMedia(moves)]);
          const backAt = await Promise.all([listenForMedia(moves), listenForMedia(stays)]);
          // A file on its way from the one who stays to the one who moves.
          const sha = await offerRandomFile(stays, FILE, FILE_BYTES);
          await clickButton(moves, `Accept ${FILE}`);
          await expect.poll(() => received(moves), { timeout: 20_000, interval: 50 }).toBeGreaterThan(0.05);

          const at = Date.now();
          if (kind === "the uplink moves to another router") await session.lab.switchUplink("mobile");
          else await session.lab.renumber("wifi");

          // Media both ways, chat both ways, the file whole.
          await Promise.all([waitForFreshMedia(moves, 20_000), waitForFreshMedia(stays, 20_000)]);
          const [atMover, atOther] = await Promise.all(backAt.map((read) => read(at)));
          console.log(
            `[switch] ${kind}, ${mover} moves: media back after ${atMover} ms (at the mover), ${atOther} ms (at the other); file at ${((await received(moves)) * 100).toFixed(0)}%`,
          );
          await sendChat(moves, "back after the switch");
          await sendChat(stays, "welcome back");
          await expect.poll(() => chatTexts(stays), { timeout: 15_000 }).toContain("back after the switch");
          await expect.poll(() => chatTexts(moves), { timeout: 15_000 }).toContain("welcome back");
          // The file either arrives whole, or both pages say plainly that it stopped.
          const outcome = await fileOutcome(moves, 60_000);
          console.log(`[switch] ${kind}, ${mover} moves: the file ${"sha" in outcome ? "arrived" : "stopped"}`);
          if ("sha" in outcome) expect(outcome.sha).toBe(sha);
          else expect(outcome.stopped).toMatch(/^stopped: the connection was interrupted, /);

          // The other person never saw anyone leave or join.
          const seen = await stays.evaluate(() => window.__tincanReceivedTypes, undefined);
          expect(seen).not.toContain("peer-left");
          expect(seen.filter((type) => type === "peer-joined")).toHaveLength(1);
          // Connected again, by whichever path ICE settled on this time.
          await expect.poll(() => tileStatus(stays, SECOND)).toMatch(/^connected, (direct|relayed)$/);
          await expect.poll(() => tileStatus(moves, FIRST)).toMatch(/^connected, (direct|relayed)$/);
        });
      }
    }
  });
}
