// PeerJS clients against a PeerJS server, without browsers: sockets opening
// to OPEN, OFFER → ANSWER round trips between two ids, and a steady offered
// load of CANDIDATE frames between pairs of ids, with the server's CPU.
import { sleep } from "../client.ts";
import { PeerjsClient, peerjsId, runTag, type PeerjsFrame } from "../peerjs-client.ts";
import type { PeerjsServer } from "../peerjs-servers.ts";
import { totalCpuMs } from "../proc.ts";
import { percentile } from "../stats.ts";

export interface PeerjsJoinResult {
  p50: number;
  p99: number;
  joined: number;
  /** Server CPU time per join, µs. */
  cpuPerJoinUs: number;
  /** The WebSocket extensions the server agreed to: compression is CPU on both ends. */
  extensions: string;
}

export interface PeerjsLatencyResult {
  /** Round trip: A's frame to B, B's answer back to A, ms. */
  p50: number;
  p99: number;
  roundTrips: number;
}

export interface PeerjsLoadResult {
  sent: number;
  delivered: number;
  /** One way, sender to receiver (one process, one clock), ms. */
  p50: number;
  p99: number;
  /** Frames other than a partner's CANDIDATE (an ERROR, EXPIRE, LEAVE…): none from a sound server. */
  unexpected: number;
  /** Server CPU time per delivered frame, µs. */
  cpuPerMessageUs: number;
  seconds: number;
}

/** A closed socket's server-side cleanup settles before the next figure starts. */
const SETTLE_MS = 500;

/**
 * About 300 bytes on the wire, like the relay section's signals: a trickled
 * ICE candidate as the peerjs client sends it (`{candidate, type, connectionId}`).
 */
function candidate(extra: Record<string, unknown>): unknown {
  return {
    candidate: {
      candidate: "candidate:842163049 1 udp 1677729535 203.0.113.7 61249 typ srflx raddr 0.0.0.0 rport 0 generation 0",
      sdpMid: "0",
      sdpMLineIndex: 0,
      usernameFragment: "x7Qp",
    },
    type: "data",
    connectionId: "dc_bench0000000",
    ...extra,
  };
}

/** A frame from `src` to `dst` with the fields a PeerJS server must stamp and keep. */
function isFrom(frame: PeerjsFrame, type: string, src: string, dst: string): boolean {
  return frame.type === type && frame.src === src && frame.dst === dst && typeof frame.payload === "object";
}

/** The number a frame's payload carries (isFrom has checked there is a payload). */
const indexOf = (frame: PeerjsFrame) => (frame.payload as { i?: unknown }).i;

/** Opens `count` ids, `inFlight` at a time; returns the clients open and each one's time to OPEN. */
async function openMany(
  server: PeerjsServer,
  count: number,
  inFlight: number,
): Promise<{ clients: PeerjsClient[]; times: number[] }> {
  const tag = runTag();
  const clients: PeerjsClient[] = [];
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const { client, ms } = await PeerjsClient.open(server, peerjsId(tag, next++));
      clients.push(client);
      times.push(ms);
    }
  };
  try {
    await Promise.all(Array.from({ length: inFlight }, worker));
  } catch (error) {
    for (const client of clients) client.close();
    throw error;
  }
  return { clients, times };
}

async function closeAll(clients: PeerjsClient[]): Promise<void> {
  for (const client of clients) client.close();
  await sleep(SETTLE_MS);
}

/** `sockets` fresh ids, `inFlight` opening at a time: socket opened → OPEN, and the server's CPU. */
export async function peerjsJoins(server: PeerjsServer, sockets = 400, inFlight = 50): Promise<PeerjsJoinResult> {
  const cpuBefore = totalCpuMs(server.cpuPids());
  const { clients, times } = await openMany(server, sockets, inFlight);
  const cpuMs = totalCpuMs(server.cpuPids()) - cpuBefore;
  await closeAll(clients);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    joined: times.length,
    cpuPerJoinUs: (cpuMs * 1000) / Math.max(1, times.length),
    extensions: clients[0]?.extensions ?? "",
  };
}

/**
 * Two ids; A sends B an OFFER and waits for its ANSWER, then a CANDIDATE and
 * waits for B's CANDIDATE back, alternately, one at a time.
 */
export async function peerjsLatency(
  server: PeerjsServer,
  { roundTrips = 2_000, maxMs = 60_000, toSelf = false } = {},
): Promise<PeerjsLatencyResult> {
  const { clients } = await openMany(server, toSelf ? 1 : 2, 1);
  // To itself, A is also B: the same two frames, each handled by one object only.
  const [a, b] = (toSelf ? [clients[0], clients[0]] : clients) as [PeerjsClient, PeerjsClient];
  const times: number[] = [];
  let answered: ((frame: PeerjsFrame) => void) | null = null;
  const answer = (frame: PeerjsFrame) => {
    if (isFrom(frame, "OFFER", a.id, b.id)) b.send("ANSWER", a.id, candidate({ i: indexOf(frame) }));
    else if (isFrom(frame, "CANDIDATE", a.id, b.id) && !("back" in (frame.payload as object)))
      b.send("CANDIDATE", a.id, candidate({ i: indexOf(frame), back: true }));
  };
  b.onFrame = toSelf ? (frame) => (answer(frame), answered?.(frame)) : answer;
  if (!toSelf) a.onFrame = (frame) => answered?.(frame);
  const deadline = Date.now() + maxMs;
  try {
    for (let i = 0; i < roundTrips && Date.now() < deadline; i++) {
      const [send, reply] = i % 2 === 0 ? (["OFFER", "ANSWER"] as const) : (["CANDIDATE", "CANDIDATE"] as const);
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${server.name}: no ${reply} for ${send} ${i} within 5 s`)),
          5_000,
        );
        answered = (frame) => {
          // Only the answer to this very frame ends the round trip.
          if (!isFrom(frame, reply, b.id, a.id) || indexOf(frame) !== i) return;
          if (reply === "CANDIDATE" && !("back" in (frame.payload as object))) return;
          clearTimeout(timer);
          resolve();
        };
        a.send(send, b.id, candidate({ i }));
      });
      times.push(performance.now() - started);
    }
  } finally {
    await closeAll(clients);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), roundTrips: times.length };
}

export interface PeerjsLoadOptions {
  pairs: number;
  /** Frames each client sends its partner. */
  perClient: number;
  ratePerSecond: number;
  maxMs: number;
  /** Every client sends to its own id: each frame is one object's work, as a frame within one shard would be. */
  toSelf?: boolean;
}

/** `pairs` pairs of ids; every client sends CANDIDATE frames to its partner, paced to a fixed total rate. */
export async function peerjsLoad(server: PeerjsServer, options: PeerjsLoadOptions): Promise<PeerjsLoadResult> {
  const { clients } = await openMany(server, options.pairs * 2, 25);
  // Partners by position: 0↔1, 2↔3, … (ids open in any order; position is what pairs them).
  const partner = (index: number) => clients[options.toSelf ? index : index ^ 1]!;
  const latencies: number[] = [];
  let delivered = 0;
  let unexpected = 0;
  clients.forEach((client, index) => {
    const from = partner(index).id;
    client.onFrame = (frame, at) => {
      if (!isFrom(frame, "CANDIDATE", from, client.id)) return void (unexpected += 1);
      delivered += 1;
      latencies.push(at - Number((frame.payload as { t?: unknown }).t));
    };
  });
  const total = clients.length * options.perClient;
  const cpuBefore = totalCpuMs(server.cpuPids());
  const started = performance.now();
  let sent = 0;
  let seconds = 0;
  let cpu = 0;
  const tickMs = 10;
  const perTick = (options.ratePerSecond * tickMs) / 1000;
  try {
    while (sent < total && performance.now() - started < options.maxMs) {
      // Due by the clock, not by ticks counted: a late tick catches up instead of lowering the rate.
      const due = Math.min(total, Math.floor(((performance.now() - started) / tickMs + 1) * perTick));
      for (; sent < due; sent++) {
        const index = sent % clients.length;
        clients[index]!.send("CANDIDATE", partner(index).id, candidate({ t: performance.now(), n: sent }));
      }
      await sleep(tickMs);
    }
    const drainDeadline = Date.now() + 30_000;
    while (delivered < sent && Date.now() < drainDeadline) await sleep(20);
    // Read before the closes, whose cleanup is no part of relaying.
    seconds = (performance.now() - started) / 1000;
    cpu = totalCpuMs(server.cpuPids()) - cpuBefore;
  } finally {
    await closeAll(clients);
  }
  return {
    sent,
    delivered,
    unexpected,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuPerMessageUs: (cpu * 1000) / Math.max(1, delivered),
    seconds,
  };
}
