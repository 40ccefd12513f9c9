// A four-page mesh in Chromium: what each page uploads in video (three
// copies of its camera) and the frame rate it receives, with the sender
// budgets on (the page's default) and off (`?budget=off`).
import type { Browser, Page } from "playwright-core";
import { joined, openPage, waitForConnected, type TestPage } from "../../test/browser/support/pages.ts";
import type { BenchServer } from "../servers.ts";

const PAGES = 4;
/** Long enough for bandwidth estimation to ramp up to what it will use. */
const WARM_UP_MS = 10_000;
const WINDOW_MS = 5_000;

/** Meshes per camera source (Chromium's fake camera, or noise), with the budgets on and off. */
export type MeshRuns = Record<"camera" | "noise", { on: MeshFigures[]; off: MeshFigures[] }>;

export interface MeshFigures {
  /** Per page: outgoing video over all its connections, kbit/s. */
  uploadKbps: number[];
  /** Per page: frames per second decoded, averaged over the videos it receives. */
  receivedFps: number[];
}

interface Counters {
  videoBytesSent: number;
  framesDecoded: number[];
}

function counters(page: Page): Promise<Counters> {
  return page.evaluate(async () => {
    let videoBytesSent = 0;
    const framesDecoded: number[] = [];
    for (const pc of window.__tincanPeerConnections) {
      if (pc.connectionState === "closed") continue;
      (await pc.getStats()).forEach(
        (r: { type: string; kind?: string; bytesSent?: number; framesDecoded?: number }) => {
          if (r.kind !== "video") return;
          if (r.type === "outbound-rtp") videoBytesSent += r.bytesSent ?? 0;
          if (r.type === "inbound-rtp") framesDecoded.push(r.framesDecoded ?? 0);
        },
      );
    }
    return { videoBytesSent, framesDecoded };
  });
}

export async function meshCall(browser: Browser, server: BenchServer, budgets: boolean): Promise<MeshFigures> {
  const url = `${server.httpUrl}/mesh-${Math.random().toString(36).slice(2, 10)}${budgets ? "" : "?budget=off"}`;
  const opened: TestPage[] = [];
  try {
    for (let i = 0; i < PAGES; i++) {
      const page = await openPage(browser, url);
      opened.push(page);
      await joined(page.page, `M${i + 1}`);
    }
    await Promise.all(opened.map(({ page }) => waitForConnected(page, PAGES - 1, 30_000)));
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
    const before = await Promise.all(opened.map(({ page }) => counters(page)));
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const after = await Promise.all(opened.map(({ page }) => counters(page)));
    const seconds = WINDOW_MS / 1000;
    return {
      uploadKbps: after.map((a, i) => ((a.videoBytesSent - before[i]!.videoBytesSent) * 8) / 1000 / seconds),
      receivedFps: after.map((a, i) => {
        const rates = a.framesDecoded.map((n, j) => (n - (before[i]!.framesDecoded[j] ?? 0)) / seconds);
        return rates.reduce((sum, r) => sum + r, 0) / Math.max(1, rates.length);
      }),
    };
  } finally {
    for (const { context } of opened) await context.close();
  }
}
