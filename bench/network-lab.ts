// The network lab in the benchmark (`BENCH_ONLY=network` runs it alone): calls
// between homes behind real NATs next to their floor (the same two pages in
// the same homes, with the same ICE servers, their descriptions and
// candidates handed across by the driver with no server at all), media
// coming back after each kind of network switch, and calls over bad links.
// Needs root (network namespaces); it says so and measures nothing without.
import type { Engine, PeerPage } from "../test/browser/support/peer-page.ts";
import { sendChat } from "../test/browser/support/peer-page.ts";
import { buildDelayTool } from "../test/network/lab/delay-tool.ts";
import { Lab, type Impairment } from "../test/network/lab/lab.ts";
import type { HostName } from "../test/network/lab/plan.ts";
import { startLabServers } from "../test/network/lab/servers.ts";
import { listenForMedia, startCall, waitForFreshMedia, type Side } from "../test/network/support/calls.ts";
import { labSession, type LabSession } from "../test/network/support/session.ts";
import { missingForLab } from "../test/network/support/tools.ts";

export interface PairFigures {
  label: string;
  /** Join → connected, by the joining page's clock, ms. */
  tincan: number[];
  /** The same homes and ICE servers, no server: offer → connected, ms. */
  floor: number[];
  /** How the calls went: "direct" or "relayed", as the pages said. */
  path: string;
}

export interface SwitchFigures {
  label: string;
  /** From the switch to media arriving again on both pages, ms. */
  back: number[];
}

export interface LinkFigures {
  label: string;
  connect: number[];
  /** One chat message, sent to received, ms. */
  chat: number[];
}

export interface NetworkFigures {
  pairs: PairFigures[];
  switches: SwitchFigures[];
  links: LinkFigures[];
  /** Runs that failed and were tried again, by figure. */
  failed: string[];
}

const side = (host: HostName, engine: Engine = "chromium"): Side => ({ host, engine });

const PAIRS: [label: string, first: Side, second: Side][] = [
  ["cone ↔ cone", side("cone2"), side("cone1")],
  ["symmetric ↔ symmetric", side("sym2"), side("sym1")],
  ["cone ↔ symmetric", side("cone2"), side("sym1")],
  ["no UDP ↔ cone", side("cone2"), side("noudp")],
  ["one LAN", side("cone1-lan"), side("cone1")],
];

const LINKS: [label: string, impairment: Impairment][] = [
  ["50 ms each way, 5% loss", { delayMs: 50, loss: 0.05 }],
  ["150 ms each way, 20% loss", { delayMs: 150, loss: 0.2 }],
];

type FloorWindow = Window & {
  __floor: { pc: RTCPeerConnection; candidates: RTCIceCandidateInit[]; connectedAt: number };
};

/**
 * The floor between two pages: getUserMedia and a connection with the
 * room's own ICE servers on each, the offer and answer and every candidate
 * carried across by the driver as soon as it polls them (every 10 ms).
 */
async function floorCall(offerer: PeerPage, answerer: PeerPage): Promise<number> {
  const setup = async () => {
    const { iceServers } = (await (await fetch("/api/ice-servers")).json()) as { iceServers: RTCIceServer[] };
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const pc = new RTCPeerConnection({ iceServers });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.createDataChannel("tincan", { negotiated: true, id: 0 });
    pc.createDataChannel("tincan-files", { negotiated: true, id: 1 });
    const floor = { pc, candidates: [] as RTCIceCandidateInit[], connectedAt: 0 };
    pc.addEventListener("icecandidate", ({ candidate }) => candidate && floor.candidates.push(candidate.toJSON()));
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "connected") floor.connectedAt = performance.timeOrigin + performance.now();
    });
    (window as unknown as FloorWindow).__floor = floor;
  };
  await Promise.all([offerer.evaluate(setup, undefined), answerer.evaluate(setup, undefined)]);
  const started = await offerer.evaluate(async () => {
    const { pc } = (window as unknown as FloorWindow).__floor;
    const at = performance.timeOrigin + performance.now();
    await pc.setLocalDescription();
    return at;
  }, undefined);
  const description = (page: PeerPage) =>
    page.evaluate(() => (window as unknown as FloorWindow).__floor.pc.localDescription!.toJSON(), undefined);
  await answerer.evaluate(
    async (offer) => {
      const { pc } = (window as unknown as FloorWindow).__floor;
      await pc.setRemoteDescription(offer);
      await pc.setLocalDescription();
    },
    await description(offerer),
  );
  await offerer.evaluate(
    (answer) => (window as unknown as FloorWindow).__floor.pc.setRemoteDescription(answer),
    await description(answerer),
  );
  const take = (page: PeerPage) =>
    page.evaluate(() => (window as unknown as FloorWindow).__floor.candidates.splice(0), undefined);
  const give = (page: PeerPage, candidates: RTCIceCandidateInit[]) =>
    page.evaluate(async (list) => {
      for (const candidate of list) await (window as unknown as FloorWindow).__floor.pc.addIceCandidate(candidate);
    }, candidates);
  const connected = (page: PeerPage) =>
    page.evaluate(() => (window as unknown as FloorWindow).__floor.connectedAt, undefined);
  const deadline = Date.now() + 30_000;
  for (;;) {
    await give(answerer, await take(offerer));
    await give(offerer, await take(answerer));
    const [a, b] = await Promise.all([connected(offerer), connected(answerer)]);
    if (a > 0 && b > 0) return a - started;
    if (Date.now() > deadline) throw new Error("the floor call did not connect in 30 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** When each chat message reached the page (by its own clock), noted as it lands. */
async function noteChatArrivals(page: PeerPage): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __arrived: Record<string, number> };
    w.__arrived = {};
    new MutationObserver(() => {
      for (const el of document.querySelectorAll(".chat-log .chat-text")) {
        const text = el.textContent ?? "";
        w.__arrived[text] ??= performance.timeOrigin + performance.now();
      }
    }).observe(document.body, { subtree: true, childList: true });
  }, undefined);
}

export async function measureNetwork(
  runs: number,
  step: (text: string) => void,
): Promise<NetworkFigures | { skipped: string }> {
  const missing = missingForLab();
  if (missing.length > 0) return { skipped: `the network lab needs ${missing.join(", ")}` };
  const delayTool = await buildDelayTool();
  const lab = await Lab.create();
  const servers = await startLabServers(lab).catch(async (error: unknown) => {
    await lab.destroy();
    throw error;
  });
  const control = labSession(() => lab, { delayTool, tincan: servers.tincan.url, stunOnly: servers.stunOnly.url });
  const session = control.session;
  const failed: string[] = [];
  /** One measurement, tried once more if it fails; pages closed and the lab put back after each. */
  async function measure<T>(label: string, make: () => Promise<T>): Promise<T> {
    try {
      return await make();
    } catch (error) {
      console.log(`  ${label} failed (${String(error).split("\n")[0]}); trying it once more`);
      failed.push(label);
      await control.closePages();
      await lab.reset();
      return await make();
    } finally {
      await control.closePages();
      await lab.reset();
    }
  }
  try {
    const pairs: PairFigures[] = [];
    for (const [label, first, second] of PAIRS) {
      const figures: PairFigures = { label, tincan: [], floor: [], path: "" };
      const paths = new Set<string>();
      for (let run = 1; run <= runs; run++) {
        step(`network lab: ${label}, run ${run}/${runs}: Tincan and its floor`);
        figures.tincan.push(
          await measure(label, async () => {
            const call = await startCall(session, first, second);
            paths.add(await pathWord(call.first));
            return call.connectMs;
          }),
        );
        figures.floor.push(
          await measure(`${label} floor`, async () => {
            const room = `floor-${crypto.randomUUID().slice(0, 8)}`;
            const [a, b] = await Promise.all([
              session.open(second.host, "chromium", room),
              session.open(first.host, "chromium", room),
            ]);
            return floorCall(a, b);
          }),
        );
      }
      // Every run's word, so a pair that went one way once and the other way once says so.
      figures.path = [...paths].join(" / ");
      pairs.push(figures);
    }

    const switches: SwitchFigures[] = [];
    for (const kind of ["uplink moves", "outside address changes"] as const) {
      for (const [mover, other] of [
        ["chromium", "firefox"],
        ["firefox", "chromium"],
      ] as [Engine, Engine][]) {
        const label = `${kind} (${mover} moves)`;
        const figures: SwitchFigures = { label, back: [] };
        for (let run = 1; run <= runs; run++) {
          step(`network lab: ${label}, run ${run}/${runs}`);
          figures.back.push(await measure(label, () => switchOnce(session, kind, mover, other)));
        }
        switches.push(figures);
      }
    }

    const links: LinkFigures[] = [];
    for (const [label, impairment] of LINKS) {
      const figures: LinkFigures = { label, connect: [], chat: [] };
      for (let run = 1; run <= runs; run++) {
        step(`network lab: ${label}, run ${run}/${runs}`);
        const result = await measure(label, async () => {
          // Pages load first, then the links go bad and Join is pressed: the call is measured, not the page load.
          const call = await startCall(session, side("cone2"), side("cone1", "firefox"), {
            timeoutMs: 60_000,
            beforeJoin: async () => {
              await Promise.all((["cone1", "cone2"] as const).map((r) => lab.impair(r, impairment, delayTool)));
            },
          });
          await Promise.all([noteChatArrivals(call.first), noteChatArrivals(call.second)]);
          const sent: [PeerPage, string, number][] = [];
          for (let i = 0; i < 5; i++) {
            for (const [from, to] of [
              [call.first, call.second],
              [call.second, call.first],
            ] as const) {
              const text = `run ${run} message ${i} ${from === call.first ? "there" : "back"}`;
              const at = await from.evaluate(() => performance.timeOrigin + performance.now(), undefined);
              await sendChat(from, text);
              sent.push([to, text, at]);
            }
          }
          const chat: number[] = [];
          const deadline = Date.now() + 60_000;
          for (const [to, text, at] of sent) {
            for (;;) {
              const arrived = await to.evaluate(
                (t) => (window as unknown as { __arrived: Record<string, number> }).__arrived[t] ?? 0,
                text,
              );
              if (arrived > 0) {
                chat.push(arrived - at);
                break;
              }
              if (Date.now() > deadline) throw new Error(`"${text}" never arrived`);
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          }
          return { connect: call.connectMs, chat };
        });
        figures.connect.push(result.connect);
        figures.chat.push(...result.chat);
      }
      links.push(figures);
    }
    return { pairs, switches, links, failed };
  } finally {
    await control.close();
    await servers.stop();
    await lab.destroy();
  }
}

/**
 * "direct" or "relayed": where the call settles, as the first remote tile
 * says it 3 s after connecting. The tile says "connected" first, names the
 * path once the page has read the selected pair, and follows it when ICE
 * moves (a call may connect through the relay and move to a direct pair
 * once that pair's checks succeed): the first word would not be the call's.
 */
async function pathWord(page: PeerPage): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const deadline = Date.now() + 5_000;
  let words = "";
  while (Date.now() < deadline) {
    words = await page.evaluate(() => document.querySelectorAll(".tile-status")[1]?.textContent ?? "", undefined);
    const path = /\b(direct|relayed)\b/.exec(words)?.[1];
    if (path) return path;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return `unnamed ("${words}")`;
}

/** One call between the mobile host and cone2; the switch; when media flows again on both pages, ms. */
async function switchOnce(
  session: LabSession,
  kind: "uplink moves" | "outside address changes",
  mover: Engine,
  other: Engine,
): Promise<number> {
  const call = await startCall(session, side("cone2", other), side("mobile", mover));
  await Promise.all([waitForFreshMedia(call.first), waitForFreshMedia(call.second)]);
  const reads = await Promise.all([listenForMedia(call.first), listenForMedia(call.second)]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const at = Date.now();
  if (kind === "uplink moves") await session.lab.switchUplink("mobile");
  else await session.lab.renumber("wifi");
  await Promise.all([waitForFreshMedia(call.first, 20_000), waitForFreshMedia(call.second, 20_000)]);
  const back = await Promise.all(reads.map((read) => read(at)));
  if (back.some((ms) => ms === null)) throw new Error("media never stopped: the switch did not happen");
  return Math.max(...(back as number[]));
}
