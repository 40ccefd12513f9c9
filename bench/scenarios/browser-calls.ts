// Real calls in Chromium against Tincan: the signaling a call costs, and
// how long a call takes to connect next to the floor of two pages that
// exchange offer and answer directly through the driver, with no server.
import type { Browser, Page } from "playwright-core";
import { openPage, waitForConnected, type TestPage } from "../../test/browser/support/pages.ts";
import type { BenchServer } from "../servers.ts";

async function prejoined(browser: Browser, url: string): Promise<TestPage> {
  const opened = await openPage(browser, url);
  await opened.page.getByLabel("Your name").fill("Bench");
  // The preview is on: camera and microphone are ready before Join.
  await opened.page.waitForFunction(
    () => (document.querySelector("video.preview") as HTMLVideoElement | null)?.srcObject,
  );
  return opened;
}

/** ms since epoch at which the page's first peer connection reported `connected`. */
async function connectedAt(page: Page): Promise<number> {
  await waitForConnected(page, 1, 20_000);
  return page.evaluate(() => (window as unknown as { __connectedAt: number }).__connectedAt);
}

function recordConnectedAt(): void {
  const w = window as unknown as { __connectedAt: number; __pressedAt: number };
  // When the page saw the press (the driver's own dispatch time is not Tincan's).
  document.addEventListener("click", () => (w.__pressedAt ||= Date.now()), { capture: true });
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected" && !w.__connectedAt) w.__connectedAt = Date.now();
      });
    }
  };
}

export interface TincanCall {
  ms: number;
  /** Frames in both directions: into the room and out of it. */
  frames: number;
  /** Bytes the pages sent into the room (what the room relays on, once). */
  bytesSent: number;
  /** Bytes the pages received from the room. */
  bytesReceived: number;
}

/** Join pressed on both pages at once → both connected, timed by the pages' own clocks. */
export async function tincanCall(browser: Browser, server: BenchServer): Promise<TincanCall> {
  const url = `${server.httpUrl}/bench-${Math.random().toString(36).slice(2, 10)}`;
  const pages = [await prejoined(browser, url), await prejoined(browser, url)];
  try {
    for (const { page } of pages) await page.evaluate(recordConnectedAt);
    await Promise.all(pages.map(({ page }) => page.getByRole("button", { name: "Join", exact: true }).click()));
    const connected = await Promise.all(pages.map(({ page }) => connectedAt(page)));
    const pressed = await Promise.all(
      pages.map(({ page }) => page.evaluate(() => (window as unknown as { __pressedAt: number }).__pressedAt)),
    );
    const pressedAt = Math.min(...pressed);
    const frames = await Promise.all(pages.map(({ page }) => page.evaluate(() => ({ ...window.__tincanFrames }))));
    return {
      ms: Math.max(...connected) - pressedAt,
      frames: frames.reduce((n, f) => n + f.sent + f.received, 0),
      bytesSent: frames.reduce((n, f) => n + f.sentBytes, 0),
      bytesReceived: frames.reduce((n, f) => n + f.receivedBytes, 0),
    };
  } finally {
    for (const { context } of pages) await context.close();
  }
}

/**
 * The floor: the same two pages with camera and microphone already open,
 * offer and answer (candidates inside, as Tincan sends them) handed across
 * by the driver. No server, no WebSocket.
 */
export async function directCall(
  browser: Browser,
  server: BenchServer,
  iceServers: RTCIceServer[] = [],
): Promise<number> {
  const pages = [
    await prejoined(browser, `${server.httpUrl}/floor`),
    await prejoined(browser, `${server.httpUrl}/floor`),
  ];
  const [a, b] = pages.map((p) => p.page) as [Page, Page];
  type FloorWindow = { __pc: RTCPeerConnection; __connectedAt: number };
  try {
    const setup = async (iceServers: RTCIceServer[]) => {
      const w = window as unknown as FloorWindow;
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const pc = new RTCPeerConnection({ iceServers });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      pc.createDataChannel("tincan", { negotiated: true, id: 0 });
      pc.addEventListener("connectionstatechange", () => {
        if (pc.connectionState === "connected") w.__connectedAt = Date.now();
      });
      w.__pc = pc;
    };
    await Promise.all([a.evaluate(setup, iceServers), b.evaluate(setup, iceServers)]);
    const started = Date.now();
    // The same 25 ms Tincan gives host candidates to join the SDP.
    const offer = await a.evaluate(async () => {
      const pc = (window as unknown as FloorWindow).__pc;
      await pc.setLocalDescription();
      await new Promise((resolve) => setTimeout(resolve, 25));
      return { type: pc.localDescription!.type, sdp: pc.localDescription!.sdp };
    });
    const answer = await b.evaluate(async (offer) => {
      const pc = (window as unknown as FloorWindow).__pc;
      await pc.setRemoteDescription(offer);
      await pc.setLocalDescription();
      await new Promise((resolve) => setTimeout(resolve, 25));
      return { type: pc.localDescription!.type, sdp: pc.localDescription!.sdp };
    }, offer);
    await a.evaluate((answer) => (window as unknown as FloorWindow).__pc.setRemoteDescription(answer), answer);
    const connected = await Promise.all(
      [a, b].map(async (page) => {
        await page.waitForFunction(() => (window as unknown as FloorWindow).__connectedAt > 0, undefined, {
          timeout: 20_000,
        });
        return page.evaluate(() => (window as unknown as FloorWindow).__connectedAt);
      }),
    );
    return Math.max(...connected) - started;
  } finally {
    for (const { context } of pages) await context.close();
  }
}
