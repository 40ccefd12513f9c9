// Sender budgets follow the room: as people join and leave, every page's
// video senders are re-tuned (read back through getParameters), in both
// engines, and a page never uploads more than the table allows.
import { expect, it } from "vitest";
import { SENDER_POLICY_TABLE, VIDEO_UPLOAD_BUDGET_KBPS } from "../../site/src/peer/sender-policy";
import { useEngines } from "./support/engines";
import { clickButton, joinRoom, type PeerPage } from "./support/peer-page";
import { waitForConnected } from "./support/pages";
import { describeWithBrowsers } from "./support/suite";

interface Encodings {
  /** Per open connection: the video sender's first encoding. */
  video: { maxBitrate: number | undefined; scaleResolutionDownBy: number | undefined }[];
  audio: { priority: string | undefined; networkPriority: string | undefined }[];
}

async function encodings(page: PeerPage): Promise<Encodings> {
  return page.evaluate(() => {
    const result: Encodings = { video: [], audio: [] };
    for (const pc of window.__tincanPeerConnections) {
      if (pc.connectionState === "closed") continue;
      for (const sender of pc.getSenders()) {
        const encoding = sender.getParameters().encodings?.[0] ?? {};
        if (sender.track?.kind === "video") {
          result.video.push({
            maxBitrate: encoding.maxBitrate,
            scaleResolutionDownBy: encoding.scaleResolutionDownBy,
          });
        }
        if (sender.track?.kind === "audio") {
          result.audio.push({ priority: encoding.priority, networkPriority: encoding.networkPriority });
        }
      }
    }
    return result;
  }, undefined);
}

/** What the table says for a page with `remotes` peers. */
function expected(remotes: number): Encodings {
  const { camera } = SENDER_POLICY_TABLE[remotes - 1]!;
  return {
    video: Array.from({ length: remotes }, () => ({
      maxBitrate: camera.maxBitrateKbps * 1000,
      scaleResolutionDownBy: camera.scaleResolutionDownBy,
    })),
    audio: Array.from({ length: remotes }, () => ({ priority: "high", networkPriority: "high" })),
  };
}

describeWithBrowsers(
  "sender budgets by room size",
  () => {
    const engines = useEngines();

    /**
     * Every page's senders at the table's row for the room, once the page has
     * seen the change (its connections up, or the leaver gone). The page tunes
     * at once; the poll allows the suite's usual 10 s because on a loaded CI
     * machine one read of a Firefox page's senders alone took over a second.
     */
    async function expectTuned(pages: PeerPage[]): Promise<void> {
      const remotes = pages.length - 1;
      for (const page of pages) {
        await expect
          .poll(
            async () => {
              const seen = await encodings(page);
              // Browsers that lack networkPriority (it is newer than the rest) have nothing to compare.
              for (const audio of seen.audio) if (audio.networkPriority === undefined) audio.networkPriority = "high";
              return seen;
            },
            { interval: 100 },
          )
          .toEqual(expected(remotes));
        const sum = (await encodings(page)).video.reduce((total, e) => total + (e.maxBitrate ?? Infinity), 0);
        expect(sum).toBeLessThanOrEqual(VIDEO_UPLOAD_BUDGET_KBPS * 1000);
      }
    }

    it("re-tunes every sender as the room goes from 2 to 4 to 3 people, in Chromium and Firefox", async () => {
      const room = `budget-${crypto.randomUUID().slice(0, 8)}`;
      const kinds = ["chromium", "firefox", "chromium", "firefox"] as const;
      const pages: PeerPage[] = [];
      const join = async (count: number) => {
        for (const engine of kinds.slice(pages.length, count)) {
          const page = await engines.open(engine, room);
          await joinRoom(page, `P${pages.length + 1}`);
          pages.push(page);
        }
        // Four pages, two of them Firefox, share two cores with the server on CI: give ICE its time.
        const waits = await Promise.allSettled(pages.map((page) => waitForConnected(page, count - 1, 45_000)));
        // Every page's side of a stall, not only the first to time out: the
        // connection that hangs has two ends.
        const stalls = waits.flatMap((wait, i) => (wait.status === "rejected" ? [`P${i + 1}: ${wait.reason}`] : []));
        if (stalls.length > 0) throw new Error(stalls.join("\n"));
      };

      await join(2);
      await expectTuned(pages);
      // A two-person call may use at least 1.5 Mbit/s.
      expect((await encodings(pages[0]!)).video[0]!.maxBitrate).toBeGreaterThanOrEqual(1_500_000);

      await join(4);
      await expectTuned(pages);

      const leaver = pages.pop()!;
      await clickButton(leaver, "Leave");
      for (const page of pages) {
        await expect
          .poll(
            () =>
              page.evaluate(
                () => window.__tincanPeerConnections.filter((pc) => pc.connectionState !== "closed").length,
                undefined,
              ),
            { timeout: 5_000 },
          )
          .toBe(2);
      }
      await expectTuned(pages);
    }, 150_000);
  },
  { firefox: true },
);
