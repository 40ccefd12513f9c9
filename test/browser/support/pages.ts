// One browser context per peer, with every RTCPeerConnection, data channel
// and WebSocket the page makes recorded on window so the test can read its
// state and stats. The helpers that only look into the page take any
// Evaluator, so they work on Chromium (Playwright) and Firefox (Puppeteer)
// pages alike.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { waitUntil, type Evaluator } from "./evaluator.ts";

declare global {
  interface Window {
    __tincanPeerConnections: RTCPeerConnection[];
    /** Every icecandidateerror of every connection: TURN refusals show up here. */
    __tincanIceErrors: { errorCode: number; url: string }[];
    /** Type of every local candidate gathered (host, srflx, relay). */
    __tincanCandidateTypes: string[];
    /** performance.now() of every move of any connection to `connected`, in order. */
    __tincanConnectedAt: number[];
    /** Per connection (same order as __tincanPeerConnections): its signaling states, with when (ms). */
    __tincanSignalingLog: string[][];
    /** Every WebSocket the page opened, so a test can cut one from outside the app. */
    __tincanSockets: WebSocket[];
    /** While true, new WebSockets go nowhere: the network to the server is "down". */
    __tincanBlockSockets: boolean;
    /** Signaling frames (pings excluded) and their UTF-8 bytes, each direction. */
    __tincanFrames: { sent: number; received: number; sentBytes: number; receivedBytes: number };
    /** Every signaling frame the page sent (pings excluded), as sent. */
    __tincanSent: string[];
    /** The type of every signaling frame the page received (pongs excluded), in order. */
    __tincanReceivedTypes: string[];
    /** Every data channel the page created. */
    __tincanChannels: RTCDataChannel[];
    /** Average brightness (0–255) of what a video element shows now. */
    __tincanBrightness(video: HTMLVideoElement): number;
  }
}

/** Helpers the tests call inside the page. */
function installProbes(): void {
  // A disabled camera still sends frames, black ones: only the picture itself tells.
  window.__tincanBrightness = (video) => {
    const canvas = document.createElement("canvas");
    canvas.width = 32;
    canvas.height = 18;
    const context = canvas.getContext("2d")!;
    context.drawImage(video, 0, 0, 32, 18);
    const pixels = context.getImageData(0, 0, 32, 18).data;
    let sum = 0;
    for (let i = 0; i < pixels.length; i += 4) sum += (pixels[i]! + pixels[i + 1]! + pixels[i + 2]!) / 3;
    return sum / (pixels.length / 4);
  };
}

function recordDataChannels(): void {
  window.__tincanChannels = [];
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (this: RTCPeerConnection, ...args) {
    const channel = create.apply(this, args);
    window.__tincanChannels.push(channel);
    return channel;
  } as typeof create;
}

/** Scripts that run before any of the page's own, in every page of every engine. */
export const RECORDERS: (() => void)[] = [
  recordPeerConnections,
  recordSockets,
  recordChannelBuffers,
  recordDataChannels,
  installProbes,
];

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
  window.__tincanSent = [];
  window.__tincanReceivedTypes = [];
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
        try {
          window.__tincanReceivedTypes.push(String((JSON.parse(event.data as string) as { type?: unknown }).type));
        } catch {
          window.__tincanReceivedTypes.push("(not JSON)");
        }
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (!isPing(data)) {
        if (typeof data === "string") window.__tincanSent.push(data);
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
  window.__tincanConnectedAt = [];
  window.__tincanSignalingLog = [];
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      window.__tincanPeerConnections.push(this);
      const log: string[] = [];
      window.__tincanSignalingLog.push(log);
      const note = (what: string) => log.push(`${Math.round(performance.now())} ${what}`);
      this.addEventListener("signalingstatechange", () => note(this.signalingState));
      this.addEventListener("connectionstatechange", () => note(this.connectionState));
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected") window.__tincanConnectedAt.push(performance.now());
      });
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
  options: { media?: "allowed" | "denied"; init?: (() => void)[] } = {},
): Promise<TestPage> {
  const context = await browser.newContext();
  await context.grantPermissions(["camera", "microphone"]);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  for (const script of RECORDERS) await page.addInitScript(script);
  if (options.media === "denied") await page.addInitScript(denyMedia);
  for (const script of options.init ?? []) await page.addInitScript(script);
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
export async function cutSignaling(page: Evaluator): Promise<void> {
  await page.evaluate(() => {
    window.__tincanBlockSockets = true;
    for (const ws of window.__tincanSockets) ws.close(3000, "cut by the test");
  }, undefined);
}

export async function restoreSignaling(page: Evaluator): Promise<void> {
  await page.evaluate(() => {
    window.__tincanBlockSockets = false;
  }, undefined);
}

/** Waits until `count` peer connections of the page are `connected`. */
export async function waitForConnected(page: Evaluator, count = 1, timeoutMs = 20_000): Promise<void> {
  try {
    await waitUntil(
      page,
      (n) => window.__tincanPeerConnections.filter((pc) => pc.connectionState === "connected").length >= n,
      count,
      { timeoutMs, what: `${count} connected peer connection(s)` },
    );
  } catch (error) {
    // What each connection was doing says whether signaling, ICE or DTLS
    // stalled; its history and the socket's last frames say whose turn it was.
    const states = await page
      .evaluate(() => {
        const sockets = window.__tincanSockets.map((ws) => ws.readyState).join(",");
        const connections = window.__tincanPeerConnections.map(
          (pc, i) =>
            `${pc.connectionState}/ice ${pc.iceConnectionState}/${pc.iceGatheringState}/sig ${pc.signalingState}` +
            ` [${(window.__tincanSignalingLog[i] ?? []).slice(-8).join(", ")}]`,
        );
        const sent = window.__tincanSent.slice(-6).map((frame) => frame.slice(0, 60));
        return [
          ...connections,
          `now ${Math.round(performance.now())}; sockets ${sockets}; received ${window.__tincanReceivedTypes.slice(-10).join(",")}; sent ${sent.join(" | ")}`,
        ];
      }, undefined)
      .catch(() => ["(page not readable)"]);
    throw new Error(`${(error as Error).message}; the page's connections: ${states.join("; ") || "none"}`);
  }
}

export interface SelectedPair {
  local: string | undefined;
  remote: string | undefined;
}

/**
 * What selectedPairs gives for a connection relayed at both ends, when checked
 * on both pages. The local type is the proof: each page's end is a relay. The
 * remote type is only timing: when the peer's first check reaches this page
 * before the peer's relay candidate does, the browser files that same relay
 * address as peer-reflexive (seen from Firefox in CI), so either is right.
 */
export function relayedPair(): SelectedPair {
  return { local: "relay", remote: expect.stringMatching(/^(relay|prflx)$/) as unknown as string };
}

/** Candidate types of the selected pair of every open peer connection. */
export async function selectedPairs(page: Evaluator): Promise<SelectedPair[]> {
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
  }, undefined);
}

export interface InboundMedia {
  /** Per open peer connection: video frames decoded, audio packets received and their energy. */
  videoFrames: number[];
  audioPackets: number[];
  audioEnergy: number[];
}

export async function inboundMedia(page: Evaluator): Promise<InboundMedia> {
  return page.evaluate(async () => {
    const result = { videoFrames: [] as number[], audioPackets: [] as number[], audioEnergy: [] as number[] };
    for (const pc of window.__tincanPeerConnections) {
      if (pc.connectionState === "closed") continue;
      let frames = 0;
      let packets = 0;
      let energy = 0;
      // Firefox can leave getStats of a connection whose DTLS just failed unanswered: never wait on one for long.
      const stats = await Promise.race([
        pc.getStats(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 2_000)),
      ]);
      stats?.forEach(
        (report: {
          type: string;
          kind?: string;
          framesDecoded?: number;
          packetsReceived?: number;
          totalAudioEnergy?: number;
        }) => {
          if (report.type !== "inbound-rtp") return;
          if (report.kind === "video") frames += report.framesDecoded ?? 0;
          if (report.kind === "audio") {
            packets += report.packetsReceived ?? 0;
            energy += report.totalAudioEnergy ?? 0;
          }
        },
      );
      result.videoFrames.push(frames);
      result.audioPackets.push(packets);
      result.audioEnergy.push(energy);
    }
    return result;
  }, undefined);
}

/**
 * Polls until every open peer connection of the page has decoded video
 * frames and received audio packets from its peer.
 */
export async function waitForMediaFromAll(page: Evaluator, timeoutMs = 15_000): Promise<InboundMedia> {
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
