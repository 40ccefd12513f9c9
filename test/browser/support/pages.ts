// One browser context per peer, with every RTCPeerConnection the page makes
// recorded on window so the test can read its state and stats.
import type { Browser, BrowserContext, Page } from "playwright-core";

declare global {
  interface Window {
    __tincanPeerConnections: RTCPeerConnection[];
    /** Every icecandidateerror of every connection: TURN refusals show up here. */
    __tincanIceErrors: { errorCode: number; url: string }[];
    /** Type of every local candidate gathered (host, srflx, relay). */
    __tincanCandidateTypes: string[];
    /** Every WebSocket the page opened, so a test can cut one from outside the app. */
    __tincanSockets: WebSocket[];
    /** While true, new WebSockets go nowhere: the network to the server is "down". */
    __tincanBlockSockets: boolean;
    /** Signaling frames (pings excluded) and their UTF-8 bytes, each direction. */
    __tincanFrames: { sent: number; received: number; sentBytes: number; receivedBytes: number };
  }
}

/** The largest bufferedAmount any data channel of the page ever had right after a send. */
function recordChannelBuffers(): void {
  const w = window as unknown as { __tincanMaxBuffered: number };
  w.__tincanMaxBuffered = 0;
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never) {
    send.call(this, data);
    w.__tincanMaxBuffered = Math.max(w.__tincanMaxBuffered, this.bufferedAmount);
  } as typeof send;
}

function recordSockets(): void {
  const Native = window.WebSocket;
  window.__tincanSockets = [];
  window.__tincanBlockSockets = false;
  window.__tincanFrames = { sent: 0, received: 0, sentBytes: 0, receivedBytes: 0 };
  const isPing = (data: unknown) => data === '{"type":"ping"}' || data === '{"type":"pong"}';
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      // Port 9 (discard) refuses at once: a connection attempt that fails.
      super(window.__tincanBlockSockets ? "ws://127.0.0.1:9/" : url, protocols);
      window.__tincanSockets.push(this);
      this.addEventListener("message", (event) => {
        if (isPing(event.data)) return;
        window.__tincanFrames.received += 1;
        window.__tincanFrames.receivedBytes += new Blob([event.data as string]).size;
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (!isPing(data)) {
        window.__tincanFrames.sent += 1;
        window.__tincanFrames.sentBytes += new Blob([data as string]).size;
      }
      super.send(data as string);
    }
  };
}

function recordPeerConnections(): void {
  const Native = window.RTCPeerConnection;
  window.__tincanPeerConnections = [];
  window.__tincanIceErrors = [];
  window.__tincanCandidateTypes = [];
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      window.__tincanPeerConnections.push(this);
      this.addEventListener("icecandidateerror", (event) => {
        const error = event as RTCPeerConnectionIceErrorEvent;
        window.__tincanIceErrors.push({ errorCode: error.errorCode, url: error.url });
      });
      this.addEventListener("icecandidate", (event) => {
        if (event.candidate?.type) window.__tincanCandidateTypes.push(event.candidate.type);
      });
    }
  };
}

/** As if the user blocked camera and microphone for the site. */
function denyMedia(): void {
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
}

export async function openPage(
  browser: Browser,
  url: string,
  options: { media?: "allowed" | "denied" } = {},
): Promise<TestPage> {
  const context = await browser.newContext();
  await context.grantPermissions(["camera", "microphone"]);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.addInitScript(recordPeerConnections);
  await page.addInitScript(recordSockets);
  await page.addInitScript(recordChannelBuffers);
  if (options.media === "denied") await page.addInitScript(denyMedia);
  await page.goto(url);
  return { context, page };
}

export async function joinAs(page: Page, name: string): Promise<void> {
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join", exact: true }).click();
}

/** Joins and waits until the page says it is in the room. */
export async function joined(page: Page, name: string): Promise<void> {
  await joinAs(page, name);
  await page
    .getByRole("status")
    .filter({ hasText: `You joined as ${name}` })
    .waitFor();
}

/** The id the room gave this page (its own tile carries it). */
export async function selfId(page: Page): Promise<string> {
  return page
    .locator("figure.tile")
    .first()
    .getAttribute("data-peer-id")
    .then((id) => id ?? "");
}

/** Cuts the page's signaling socket from outside the app and keeps the server unreachable. */
export async function cutSignaling(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__tincanBlockSockets = true;
    for (const ws of window.__tincanSockets) ws.close(3000, "cut by the test");
  });
}

export async function restoreSignaling(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__tincanBlockSockets = false;
  });
}

/** Waits until `count` peer connections of the page are `connected`. */
export async function waitForConnected(page: Page, count = 1, timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction(
    (n) => window.__tincanPeerConnections.filter((pc) => pc.connectionState === "connected").length >= n,
    count,
    { timeout: timeoutMs, polling: 100 },
  );
}

export interface SelectedPair {
  local: string | undefined;
  remote: string | undefined;
}

/** Candidate types of the selected pair of every open peer connection. */
export async function selectedPairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const pairs: { local: string | undefined; remote: string | undefined }[] = [];
    for (const pc of window.__tincanPeerConnections) {
      if (pc.connectionState === "closed") continue;
      const byId = new Map<
        string,
        {
          type: string;
          selectedCandidatePairId?: string;
          localCandidateId?: string;
          remoteCandidateId?: string;
          candidateType?: string;
        }
      >();
      (await pc.getStats()).forEach((entry) => byId.set(entry.id, entry));
      const transport = [...byId.values()].find((e) => e.type === "transport" && e.selectedCandidatePairId);
      const pair = transport ? byId.get(transport.selectedCandidatePairId!) : undefined;
      pairs.push({
        local: pair?.localCandidateId ? byId.get(pair.localCandidateId)?.candidateType : undefined,
        remote: pair?.remoteCandidateId ? byId.get(pair.remoteCandidateId)?.candidateType : undefined,
      });
    }
    return pairs;
  });
}

export interface InboundMedia {
  /** Per open peer connection: video frames decoded and audio packets received. */
  videoFrames: number[];
  audioPackets: number[];
}

export async function inboundMedia(page: Page): Promise<InboundMedia> {
  return page.evaluate(async () => {
    const result = { videoFrames: [] as number[], audioPackets: [] as number[] };
    for (const pc of window.__tincanPeerConnections) {
      if (pc.connectionState === "closed") continue;
      let frames = 0;
      let packets = 0;
      const stats = await pc.getStats();
      stats.forEach((report: { type: string; kind?: string; framesDecoded?: number; packetsReceived?: number }) => {
        if (report.type !== "inbound-rtp") return;
        if (report.kind === "video") frames += report.framesDecoded ?? 0;
        if (report.kind === "audio") packets += report.packetsReceived ?? 0;
      });
      result.videoFrames.push(frames);
      result.audioPackets.push(packets);
    }
    return result;
  });
}

/**
 * Polls until every open peer connection of the page has decoded video
 * frames and received audio packets from its peer.
 */
export async function waitForMediaFromAll(page: Page, timeoutMs = 15_000): Promise<InboundMedia> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const media = await inboundMedia(page);
    const flowing =
      media.videoFrames.length > 0 && media.videoFrames.every((n) => n > 0) && media.audioPackets.every((n) => n > 0);
    if (flowing) return media;
    if (Date.now() > deadline) throw new Error(`media not flowing within ${timeoutMs} ms: ${JSON.stringify(media)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
