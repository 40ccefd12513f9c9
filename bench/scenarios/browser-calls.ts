// Real calls in Chromium against Tincan: the signaling a call costs, and
// how long a call takes to connect next to its floor: the same two pages,
// with camera and microphone open, their offer and answer handed over by
// the driver with no server at all. Each call can be direct or relay-only,
// with both people pressing Join at once or the second joining a second
// after the first.
import type { Browser, Page } from "playwright-core";
import type { IceServer } from "../../protocol";
import { openPage, waitForConnected, type TestPage } from "../../test/browser/support/pages.ts";

export type JoinTiming = "together" | "staggered";

async function prejoined(browser: Browser, url: string): Promise<TestPage> {
  const opened = await openPage(browser, url, { init: [recordTimeline] });
  await opened.page.getByLabel("Your name").fill("Bench");
  // The preview is on: camera and microphone are ready before Join.
  await opened.page.waitForFunction(
    () => (document.querySelector("video.preview") as HTMLVideoElement | null)?.srcObject,
  );
  return opened;
}

/** In the page: when each step of joining happened (ms since epoch), first time only. */
function recordTimeline(): void {
  const w = window as unknown as { __timeline: Record<string, number> };
  w.__timeline = {};
  const mark = (step: string) => (w.__timeline[step] ||= Date.now());
  // When the page saw the press (the driver's own dispatch time is not Tincan's).
  document.addEventListener("click", () => mark("pressed"), { capture: true });
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      mark("socket-created");
      this.addEventListener("open", () => mark("socket-open"));
      this.addEventListener("message", (event) => {
        const type = /"type":"([a-z-]+)"/.exec(String(event.data))?.[1];
        if (type && type !== "pong") mark(`received ${type}`);
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      const type = /"type":"([a-z-]+)"/.exec(String(data))?.[1];
      if (type && type !== "ping") mark(`sent ${type}`);
      super.send(data as string);
    }
  };
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      mark("peer-connection");
      this.addEventListener("icecandidate", ({ candidate }) => {
        if (candidate) mark(`candidate ${candidate.type}`);
      });
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected") mark("connected");
      });
      this.addEventListener("negotiationneeded", () => mark("negotiation-needed"));
    }
    override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
      await super.setLocalDescription(description);
      mark(`local ${this.localDescription?.type}`);
    }
    override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      await super.setRemoteDescription(description);
      mark(`remote ${description.type}`);
    }
  };
}

async function timeline(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => (window as unknown as { __timeline: Record<string, number> }).__timeline);
}

export interface TincanCall {
  ms: number;
  /** Frames in both directions: into the room and out of it. */
  frames: number;
  /** Bytes the pages sent into the room (what the room relays on, once). */
  bytesSent: number;
  /** Bytes the pages received from the room. */
  bytesReceived: number;
  /** Each page's steps, relative to the (later) press (ms). */
  steps: [Record<string, number>, Record<string, number>];
}

export interface CallOptions {
  timing: JoinTiming;
  /** `?relay=1`: TURN only (the server must hand out TURN credentials). */
  relay: boolean;
  /** Where the pages load from, if not the server itself (the latency proxy). */
  via?: string;
}

/**
 * Join → both connected, timed by the pages' own clocks from the later
 * press: both at once (`together`), or the second a second after the first
 * has joined (`staggered`).
 */
export async function tincanCall(browser: Browser, baseUrl: string, options: CallOptions): Promise<TincanCall> {
  const url = `${options.via ?? baseUrl}/bench-${Math.random().toString(36).slice(2, 10)}${options.relay ? "?relay=1" : ""}`;
  const pages = [await prejoined(browser, url), await prejoined(browser, url)];
  const join = (page: Page) => page.getByRole("button", { name: "Join", exact: true }).click();
  try {
    if (options.timing === "together") {
      await Promise.all(pages.map(({ page }) => join(page)));
    } else {
      await join(pages[0]!.page);
      await pages[0]!.page.getByRole("status").filter({ hasText: "You joined as" }).waitFor();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await join(pages[1]!.page);
    }
    await Promise.all(pages.map(({ page }) => waitForConnected(page, 1, 30_000)));
    const steps = await Promise.all(pages.map(({ page }) => timeline(page)));
    const pressedAt = Math.max(...steps.map((s) => s["pressed"]!));
    const connectedAt = Math.max(...steps.map((s) => s["connected"]!));
    const relative = (s: Record<string, number>) =>
      Object.fromEntries(Object.entries(s).map(([step, at]) => [step, at - pressedAt]));
    const frames = await Promise.all(pages.map(({ page }) => page.evaluate(() => ({ ...window.__tincanFrames }))));
    return {
      ms: connectedAt - pressedAt,
      frames: frames.reduce((n, f) => n + f.sent + f.received, 0),
      bytesSent: frames.reduce((n, f) => n + f.sentBytes, 0),
      bytesReceived: frames.reduce((n, f) => n + f.receivedBytes, 0),
      steps: [relative(steps[0]!), relative(steps[1]!)],
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
  baseUrl: string,
  options: { iceServers: IceServer[]; relay: boolean },
): Promise<number> {
  const pages = [await prejoined(browser, `${baseUrl}/floor`), await prejoined(browser, `${baseUrl}/floor`)];
  const [a, b] = pages.map((p) => p.page) as [Page, Page];
  type FloorWindow = { __pc: RTCPeerConnection; __connectedAt: number };
  try {
    const setup = async ({ iceServers, relay }: { iceServers: RTCIceServer[]; relay: boolean }) => {
      const w = window as unknown as FloorWindow;
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const pc = new RTCPeerConnection({ iceServers, ...(relay ? { iceTransportPolicy: "relay" as const } : {}) });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      pc.createDataChannel("tincan", { negotiated: true, id: 0 });
      pc.createDataChannel("tincan-files", { negotiated: true, id: 1 });
      pc.addEventListener("connectionstatechange", () => {
        if (pc.connectionState === "connected") w.__connectedAt = Date.now();
      });
      w.__pc = pc;
    };
    const config = { iceServers: options.iceServers as RTCIceServer[], relay: options.relay };
    await Promise.all([a.evaluate(setup, config), b.evaluate(setup, config)]);
    const started = Date.now();
    // The same 25 ms Tincan gives candidates to join the SDP; relay
    // candidates come later, so a relay-only floor waits for its first one.
    const describe = async ({ remote, relay }: { remote: RTCSessionDescriptionInit | null; relay: boolean }) => {
      const pc = (window as unknown as FloorWindow).__pc;
      if (remote) await pc.setRemoteDescription(remote);
      await pc.setLocalDescription();
      const deadline = Date.now() + 3_000;
      await new Promise((resolve) => setTimeout(resolve, 25));
      while (relay && !pc.localDescription!.sdp.includes("typ relay") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return { type: pc.localDescription!.type, sdp: pc.localDescription!.sdp };
    };
    const offer = await a.evaluate(describe, { remote: null, relay: options.relay });
    const answer = await b.evaluate(describe, { remote: offer, relay: options.relay });
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
