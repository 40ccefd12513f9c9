// Calls between lab homes, driven through the room page as a person would,
// and what a test reads of them: the connection each page selected (from
// its own stats), the words on its tiles, and the time from Join to
// connected by the joining page's own clock.
import type { Engine, PeerPage } from "../../browser/support/peer-page.ts";
import { fillName, pressJoin, waitForStatus } from "../../browser/support/peer-page.ts";
import { waitUntil, type Evaluator } from "../../browser/support/evaluator.ts";
import { inboundMedia, waitForConnected } from "../../browser/support/pages.ts";
import type { HostName } from "../lab/plan.ts";
import type { LabSession, Server } from "./session.ts";

export interface Side {
  host: HostName;
  engine: Engine;
}

export interface LabCall {
  room: string;
  /** The page already in the room, and the one that joined it. */
  first: PeerPage;
  second: PeerPage;
  /** From the second page's press of Join to its connection's `connected`, by its own clock. */
  connectMs: number;
}

export const FIRST = "Alice";
export const SECOND = "Bob";

/** Opens both pages, seats the first, then the second, and waits until both are connected. */
export interface CallOptions {
  server?: Server;
  timeoutMs?: number;
  /** Runs on both pages on the pre-join screen, before either joins (a bad link starts here: pages load first). */
  beforeJoin?: (first: PeerPage, second: PeerPage) => Promise<void>;
}

export async function startCall(
  session: LabSession,
  first: Side,
  second: Side,
  { server = "tincan", timeoutMs = 20_000, beforeJoin }: CallOptions = {},
): Promise<LabCall> {
  const call = await seatBoth(session, first, second, server, beforeJoin, timeoutMs);
  await Promise.all([waitForConnected(call.first, 1, timeoutMs), waitForConnected(call.second, 1, timeoutMs)]);
  const connectMs = await call.second.evaluate((at) => (window.__tincanConnectedAt[0] ?? NaN) - at, call.joinAt);
  return { room: call.room, first: call.first, second: call.second, connectMs };
}

/** Both pages in the room (the second's Join just pressed), connected or not. */
export async function seatBoth(
  session: LabSession,
  first: Side,
  second: Side,
  server: Server = "tincan",
  beforeJoin?: (first: PeerPage, second: PeerPage) => Promise<void>,
  joinTimeoutMs = 15_000,
): Promise<{ room: string; first: PeerPage; second: PeerPage; joinAt: number }> {
  const room = `lab-${crypto.randomUUID().slice(0, 8)}`;
  const [a, b] = await Promise.all([
    session.open(first.host, first.engine, room, server),
    session.open(second.host, second.engine, room, server),
  ]);
  await Promise.all([fillName(a, FIRST), fillName(b, SECOND)]);
  await beforeJoin?.(a, b);
  await pressJoin(a);
  await waitForStatus(a, `You joined as ${FIRST}`, joinTimeoutMs);
  const joinAt = await b.evaluate(() => performance.now(), undefined);
  await pressJoin(b);
  return { room, first: a, second: b, joinAt };
}

/** What the page's tile for `name` says of the connection ("connected, direct", …). */
export function tileStatus(page: Evaluator, name: string): Promise<string> {
  return page.evaluate(
    (peer) => document.querySelector(`figure.tile[aria-label="${CSS.escape(peer)}"] .tile-status`)?.textContent ?? "",
    name,
  );
}

/** Waits until the tile for `name` says `words`. */
export async function waitForTile(page: Evaluator, name: string, words: string, timeoutMs = 10_000): Promise<void> {
  await waitUntil(
    page,
    ({ peer, text }) =>
      document.querySelector(`figure.tile[aria-label="${CSS.escape(peer)}"] .tile-status`)?.textContent === text,
    { peer: name, text: words },
    { timeoutMs, what: `the tile of ${name} to say "${words}"` },
  );
}

export interface PairSeen {
  local: string;
  remote: string;
  /** How the local relay reaches its TURN server (udp, tcp, tls), for a relay. */
  relayProtocol: string;
  localAddress: string;
  remoteAddress: string;
}

/** The candidate pair the page's (only open) connection selected, from its stats. */
export async function pairSeen(page: Evaluator): Promise<PairSeen> {
  return page.evaluate(async () => {
    const pc = window.__tincanPeerConnections.find((c) => c.connectionState === "connected");
    if (!pc) throw new Error("no connected peer connection");
    type Entry = {
      id: string;
      type: string;
      selectedCandidatePairId?: string;
      selected?: boolean;
      localCandidateId?: string;
      remoteCandidateId?: string;
      candidateType?: string;
      relayProtocol?: string;
      address?: string;
      ip?: string;
    };
    const byId = new Map<string, Entry>();
    (await pc.getStats()).forEach((entry: Entry) => byId.set(entry.id, entry));
    const transport = [...byId.values()].find((e) => e.type === "transport" && e.selectedCandidatePairId);
    const pair =
      (transport ? byId.get(transport.selectedCandidatePairId!) : undefined) ??
      [...byId.values()].find((e) => e.type === "candidate-pair" && e.selected === true);
    const local = pair?.localCandidateId ? byId.get(pair.localCandidateId) : undefined;
    const remote = pair?.remoteCandidateId ? byId.get(pair.remoteCandidateId) : undefined;
    return {
      local: local?.candidateType ?? "",
      remote: remote?.candidateType ?? "",
      relayProtocol: local?.relayProtocol ?? "",
      localAddress: local?.address ?? local?.ip ?? "",
      remoteAddress: remote?.address ?? remote?.ip ?? "",
    };
  }, undefined);
}

/** Every candidate pair the page's connection checked: "local/remote state", nominated ones marked (for failure reports). */
export async function pairsTried(page: Evaluator): Promise<string[]> {
  return page.evaluate(async () => {
    const pc = window.__tincanPeerConnections.find((c) => c.connectionState === "connected");
    if (!pc) return [];
    type Entry = {
      id: string;
      type: string;
      state?: string;
      nominated?: boolean;
      localCandidateId?: string;
      remoteCandidateId?: string;
      candidateType?: string;
    };
    const byId = new Map<string, Entry>();
    (await pc.getStats()).forEach((entry: Entry) => byId.set(entry.id, entry));
    return [...byId.values()]
      .filter((e) => e.type === "candidate-pair")
      .map((e) => {
        const kind = (id?: string) => (id ? byId.get(id)?.candidateType : undefined) ?? "?";
        return `${kind(e.localCandidateId)}/${kind(e.remoteCandidateId)} ${e.state}${e.nominated ? " nominated" : ""}`;
      });
  }, undefined);
}

/** Total video frames decoded, audio packets received and audio energy, over the page's open connections. */
export async function mediaTotals(page: Evaluator): Promise<{ frames: number; packets: number; energy: number }> {
  const media = await inboundMedia(page);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return { frames: sum(media.videoFrames), packets: sum(media.audioPackets), energy: sum(media.audioEnergy) };
}

/** Waits until video frames are decoded and audio is heard (packets with energy) on the page, anew from now. */
export async function waitForFreshMedia(page: Evaluator, timeoutMs = 15_000): Promise<void> {
  const start = await mediaTotals(page);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await mediaTotals(page);
    if (now.frames > start.frames + 2 && now.packets > start.packets + 5 && now.energy > start.energy) return;
    if (Date.now() > deadline) {
      throw new Error(`no fresh media within ${timeoutMs} ms: ${JSON.stringify({ start, now })}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Starts noting, every 50 ms in the page, when its receivers last heard the
 * peer (the newest packet any of them reports). Returns how to read, after
 * a cut at `at` (ms since epoch, the page's clock is the machine's), when
 * media came back: the first packet after a silence that began after `at`.
 */
export async function listenForMedia(page: Evaluator): Promise<(at: number) => Promise<number | null>> {
  await page.evaluate(() => {
    const w = window as unknown as { __tincanHeardAt: number[] };
    w.__tincanHeardAt = [];
    let newest = 0;
    setInterval(() => {
      let latest = 0;
      for (const pc of window.__tincanPeerConnections) {
        if (pc.connectionState === "closed") continue;
        for (const receiver of pc.getReceivers()) {
          for (const source of receiver.getSynchronizationSources()) latest = Math.max(latest, source.timestamp);
        }
      }
      if (latest > newest) {
        newest = latest;
        w.__tincanHeardAt.push(Date.now());
      }
    }, 50);
  }, undefined);
  return async (at) => {
    const heard = await page.evaluate(
      () => (window as unknown as { __tincanHeardAt: number[] }).__tincanHeardAt,
      undefined,
    );
    // Packets already in flight at the cut still land just after it: media is
    // back at the first packet that follows a real silence (half a second).
    for (let i = 1; i < heard.length; i++) {
      if (heard[i]! > at && heard[i]! - heard[i - 1]! >= 500) return heard[i]! - at;
    }
    return null;
  };
}
