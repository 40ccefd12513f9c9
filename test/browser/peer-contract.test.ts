// The peer contract of docs/protocol.md, from the outside: another WebRTC
// stack (a bare RTCPeerConnection, no Tincan code) offering less than the
// page sends, from each side of the politeness rule; and a peer that sends
// garbage on every data channel of a live call. Both engines take each role.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useEngines } from "./support/engines";
import { foreignReport, startForeignClient, type ForeignOptions } from "./support/foreign-client";
import type { Evaluator } from "./support/evaluator";
import {
  acceptFile,
  chatTexts,
  clickButton,
  joinRoom,
  offerRandomFile,
  seenPeer,
  sendChat,
  type Engine,
} from "./support/peer-page";
import { inboundMedia, waitForConnected, waitForMediaFromAll } from "./support/pages";
import { describeWithBrowsers } from "./support/suite";
import { serveExample, serveLibraryHarness, type ExampleApp } from "./support/example-app";
import type * as TincanClient from "../../site/src/client/index";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the People panel says of the person named `name`. */
function personWords(page: Evaluator, name: string): Promise<string> {
  return page.evaluate(
    (who) =>
      [...document.querySelectorAll('[aria-label="People in the call"] li')]
        .map((item) => item.textContent ?? "")
        .find((text) => text.includes(who)) ?? "",
    name,
  );
}

/** What a broken or hostile peer might put on a data channel: text, and binary as byte lists. */
const GARBAGE_TEXT = [
  "null",
  "[]",
  "1",
  '"chat"',
  "{",
  "}{",
  "",
  "\u0000\ud800",
  "x".repeat(200_000),
  JSON.stringify({ kind: "chat" }),
  JSON.stringify({ kind: "chat", text: 5 }),
  JSON.stringify({ kind: "chat", text: "t".repeat(2_001) }),
  JSON.stringify({ kind: "state", mic: "yes", camera: true, screen: false, hand: false }),
  JSON.stringify({ kind: "state" }),
  JSON.stringify({ kind: "offer", id: "x", name: "evil.bin", size: -1 }),
  JSON.stringify({ kind: "offer", id: "<script>", name: "a", size: 1 }),
  JSON.stringify({ kind: "offer", id: "y", name: "", size: 1 }),
  JSON.stringify({ kind: "accept", id: "nothing-offered" }),
  JSON.stringify({ kind: "end", id: "nothing-offered", sha256: "0".repeat(64) }),
  JSON.stringify({ kind: "cancel", id: "nothing-offered" }),
  JSON.stringify({ __proto__: { kind: "chat", text: "polluted" } }),
  JSON.stringify({ constructor: { prototype: { polluted: true } }, kind: "state" }),
  "[".repeat(10_000) + "]".repeat(10_000),
];
const GARBAGE_BINARY = [
  [],
  [0],
  [123, 34, 107, 105, 110, 100, 34, 58, 34, 99, 104, 97, 116, 34, 125],
  new Array(70_000).fill(7),
];

describeWithBrowsers(
  "the peer contract, from other stacks and broken peers",
  () => {
    // Two pages that frame the room with the iframe API: one from an origin the
    // server lists in EMBED_ORIGINS, one from an origin it does not.
    let embedder: ExampleApp | undefined;
    let stranger: ExampleApp | undefined;
    const engines = useEngines(async () => {
      [embedder, stranger] = await Promise.all([serveExample("embed"), serveExample("embed")]);
      return { EMBED_ORIGINS: embedder.origin };
    });
    afterAll(async () => {
      await Promise.all([embedder?.stop(), stranger?.stop()]);
    });
    const open = (engine: Engine, path: string) => engines.open(engine, path);

    const offers: { name: string; offer: Omit<ForeignOptions, "socketUrl" | "polite">; sends: string[] }[] = [
      { name: "only audio", offer: { audio: true, video: false, dataChannel: true }, sends: ["audio"] },
      { name: "only video", offer: { audio: false, video: true, dataChannel: true }, sends: ["video"] },
      { name: "no data channel", offer: { audio: true, video: true, dataChannel: false }, sends: ["audio", "video"] },
    ];
    let round = 0;
    for (const { name, offer, sends } of offers) {
      for (const polite of [true, false]) {
        // Each engine is the Tincan page in half of the cases, the other stack in the rest.
        const pageEngine: Engine = round++ % 2 === 0 ? "chromium" : "firefox";
        const foreignEngine: Engine = pageEngine === "chromium" ? "firefox" : "chromium";
        it(`answers a ${foreignEngine} client offering ${name} (the client ${polite ? "polite" : "impolite"}), then offers the rest (${pageEngine} page)`, async () => {
          const room = `contract-${crypto.randomUUID().slice(0, 8)}`;
          const page = await open(pageEngine, room);
          await joinRoom(page, "Page");
          const foreign = await open(foreignEngine, "");
          const socketUrl = `${engines.server.url.replace("http:", "ws:")}/api/rooms/${room}/ws?name=Native`;
          await startForeignClient(foreign, { socketUrl, polite, ...offer });

          await waitForConnected(page);
          // The page answered what was offered, then offered what was missing: both
          // descriptions arrived, in that order, and the client answered the second.
          await expect
            .poll(async () => (await foreignReport(foreign)).remoteMedia.sort(), { timeout: 15_000 })
            .toEqual(["m=application", "m=audio", "m=video"]);
          const report = await foreignReport(foreign);
          expect(report.received).toEqual(["answer", "offer"]);
          expect(report.connectionState).toBe("connected");
          // Everyone gets everything the other sends.
          await expect
            .poll(
              async () => {
                const r = await foreignReport(foreign);
                return r.videoFrames > 0 && r.audioPackets > 0;
              },
              { timeout: 15_000 },
            )
            .toBe(true);
          await expect
            .poll(
              async () => {
                const media = await inboundMedia(page);
                return (
                  (!sends.includes("video") || media.videoFrames[0]! > 0) &&
                  (!sends.includes("audio") || media.audioPackets[0]! > 0)
                );
              },
              { timeout: 15_000 },
            )
            .toBe(true);
          // This client never says whether its microphone and camera are on:
          // the page says it does not know (not "on"), and shows what arrives.
          await clickButton(page, "People");
          await expect.poll(() => personWords(page, "Native")).toContain("microphone and camera not known yet");
          const tile = await page.evaluate(() => {
            const figure = document.querySelector('figure.tile[aria-label="Native"]')!;
            const micOff = figure.querySelector<HTMLElement>('[role=img][aria-label="Microphone off"]')!;
            return { cameraOff: figure.classList.contains("is-camera-off"), micOff: !micOff.hidden };
          }, undefined);
          expect(tile).toEqual({ cameraOff: !sends.includes("video"), micOff: false });
          expect(page.problems).toEqual([]);
        });
      }
    }

    for (const [pageEngine, foreignEngine] of [
      ["chromium", "firefox"],
      ["firefox", "chromium"],
    ] as const) {
      it(`applies candidates that arrive before their description (${pageEngine} page, ${foreignEngine} client)`, async () => {
        const room = `early-${crypto.randomUUID().slice(0, 8)}`;
        const page = await open(pageEngine, room);
        await joinRoom(page, "Page");
        const foreign = await open(foreignEngine, "");
        const socketUrl = `${engines.server.url.replace("http:", "ws:")}/api/rooms/${room}/ws?name=Native`;
        await startForeignClient(foreign, {
          socketUrl,
          polite: true,
          audio: true,
          video: true,
          dataChannel: true,
          candidatesFirst: true,
        });
        // The offer's SDP has no candidate at all: only the early ones can connect the call.
        await waitForConnected(page);
        await expect
          .poll(async () => (await foreignReport(foreign)).connectionState, { timeout: 15_000 })
          .toBe("connected");
        expect(page.problems).toEqual([]);
      });
    }

    for (const [sender, receiver] of [
      ["chromium", "firefox"],
      ["firefox", "chromium"],
    ] as const) {
      it(`keeps chat, files and the call working on a ${receiver} page while a ${sender} peer sends garbage on every data channel`, async () => {
        const room = `garbage-${crypto.randomUUID().slice(0, 8)}`;
        const bad = await open(sender, room);
        const good = await open(receiver, room);
        await joinRoom(bad, "Bad");
        await joinRoom(good, "Good");
        await Promise.all([waitForConnected(bad), waitForConnected(good)]);
        await Promise.all([waitForMediaFromAll(bad), waitForMediaFromAll(good)]);

        const sent = await bad.evaluate(
          ({ text, binary }) => {
            const channels = window.__tincanChannels.filter((c) => c.readyState === "open");
            let count = 0;
            for (const channel of channels) {
              for (const item of text) {
                channel.send(item);
                count += 1;
              }
              for (const bytes of binary) {
                channel.send(new Uint8Array(bytes));
                count += 1;
              }
            }
            return { channels: channels.map((c) => c.label), count };
          },
          { text: GARBAGE_TEXT, binary: GARBAGE_BINARY },
        );
        expect(sent.channels.sort()).toEqual(["tincan", "tincan-app", "tincan-files"]);
        await sleep(1_000);

        // Chat both ways, a file, the call: all as before.
        await sendChat(bad, "still here");
        await sendChat(good, "me too");
        for (const page of [bad, good]) {
          await expect.poll(() => chatTexts(page).then((t) => t.sort())).toEqual(["me too", "still here"]);
        }
        const sha = await offerRandomFile(bad, "after-garbage.bin", 300_000);
        expect(await acceptFile(good, "after-garbage.bin")).toEqual({ size: 300_000, sha });
        const before = (await inboundMedia(good)).videoFrames[0]!;
        await sleep(1_000);
        expect((await inboundMedia(good)).videoFrames[0]! - before).toBeGreaterThan(5);
        expect(await good.evaluate(() => window.__tincanPeerConnections[0]!.connectionState, undefined)).toBe(
          "connected",
        );
        // Nothing a peer sent made the page throw; and nothing of it was shown.
        expect(good.problems).toEqual([]);
        expect(await chatTexts(good)).not.toContain("polluted");
        expect(await good.evaluate(() => document.querySelectorAll(".transfer").length, undefined)).toBe(1);
      }, 60_000);
    }

    describe("apps built on Tincan, on origins of their own", () => {
      let app: ExampleApp;
      let harness: ExampleApp;
      beforeAll(async () => {
        [app, harness] = await Promise.all([serveExample("video-chat"), serveLibraryHarness()]);
      });
      afterAll(async () => {
        await Promise.all([app?.stop(), harness?.stop()]);
      });

      const statusOf = (page: Evaluator) =>
        page.evaluate(() => document.getElementById("status")?.textContent ?? "", undefined);
      const linesOf = (page: Evaluator) =>
        page.evaluate(() => [...document.querySelectorAll("#messages li")].map((li) => li.textContent), undefined);
      const peerVideos = (page: Evaluator) =>
        page.evaluate(
          () =>
            [...document.querySelectorAll<HTMLVideoElement>("video[data-peer]")].map((v) => ({
              name: v.title,
              playing: v.videoWidth > 0,
            })),
          undefined,
        );

      it("joins a room with the Tincan page in it from Chromium and Firefox: media all ways, app messages on their own channel, leave", async () => {
        const room = `lib-${crypto.randomUUID().slice(0, 8)}`;
        const page = await open("chromium", room);
        await joinRoom(page, "Pat");
        const exampleAt = (name: string) =>
          `${app.url}?${new URLSearchParams({ server: engines.server.url, room, name })}`;
        const ada = await engines.openAt("firefox", exampleAt("Ada"));
        await expect.poll(() => statusOf(ada)).toBe("In the room as Ada");
        const bo = await engines.openAt("chromium", exampleAt("Bo"));
        await expect.poll(() => statusOf(bo)).toBe("In the room as Bo");

        // Everyone decodes everyone: the library's connections are the page's connections.
        for (const each of [page, ada, bo]) await waitForConnected(each, 2);
        for (const each of [page, ada, bo]) await waitForMediaFromAll(each);
        await expect.poll(() => peerVideos(bo).then((v) => v.map((x) => x.name).sort())).toEqual(["Ada", "Pat"]);
        await expect.poll(() => peerVideos(ada).then((v) => v.every((x) => x.playing) && v.length)).toBe(2);

        // An app message goes to the apps, never into the page's chat.
        await ada.evaluate(() => {
          const form = document.getElementById("say") as HTMLFormElement;
          (form.elements.namedItem("text") as HTMLInputElement).value = "hello from Firefox";
          form.requestSubmit();
        }, undefined);
        await expect.poll(() => linesOf(bo)).toEqual(["Ada: hello from Firefox"]);
        await sendChat(page, "chat stays chat");
        await sleep(500);
        expect(await chatTexts(page)).toEqual(["chat stays chat"]);
        expect(await linesOf(bo)).toEqual(["Ada: hello from Firefox"]);

        // Leaving: the app says why, the others drop it.
        await ada.evaluate(() => document.getElementById("leave")!.click(), undefined);
        await expect.poll(() => statusOf(ada)).toBe("Left the room (left)");
        await expect.poll(() => peerVideos(bo).then((v) => v.map((x) => x.name))).toEqual(["Pat"]);
        await expect
          .poll(() => page.evaluate(() => document.querySelector('figure.tile[aria-label="Ada"]') === null, undefined))
          .toBe(true);
        for (const each of [page, ada, bo]) expect(each.problems).toEqual([]);
      }, 60_000);

      it("frames the room with /embed.js on a listed origin: joins, mutes, sees a peer come and go, leaves; an unlisted origin gets no room", async () => {
        const room = `embed-${crypto.randomUUID().slice(0, 8)}`;
        const page = await open("chromium", room);
        await joinRoom(page, "Pat");
        const framed = (app: ExampleApp, name: string) =>
          `${app.url}?${new URLSearchParams({ server: engines.server.url, room, name })}`;
        const host = await engines.openAt("chromium", framed(embedder!, "Ada"));
        const events = (p: Evaluator) =>
          p.evaluate(() => [...document.querySelectorAll("#events li")].map((li) => li.textContent), undefined);
        const click = (p: Evaluator, id: string) => p.evaluate((b) => document.getElementById(b)!.click(), id);

        await expect.poll(() => events(host)).toEqual(["ready", "joined as Ada"]);
        await waitForConnected(page, 1);
        await waitForMediaFromAll(page);

        // A command from the embedding page works the room page's own control.
        await click(host, "mute");
        await expect.poll(() => seenPeer(page, "Ada").then((seen) => seen.micOff)).toBe(true);
        await click(host, "unmute");
        await expect.poll(() => seenPeer(page, "Ada").then((seen) => seen.micOff)).toBe(false);

        const quinn = await open("firefox", room);
        await joinRoom(quinn, "Quinn");
        await expect.poll(() => events(host)).toContain("Quinn joined");
        await clickButton(quinn, "Leave");
        await expect.poll(() => events(host)).toContain("Quinn left");

        await click(host, "leave");
        await expect.poll(() => events(host)).toContain("left (left)");
        await expect
          .poll(() => page.evaluate(() => document.querySelector('figure.tile[aria-label="Ada"]') === null, undefined))
          .toBe(true);

        // Not in EMBED_ORIGINS: the browser refuses the frame, so the room page never runs there. The
        // listed page heard "ready" within a second of loading; this one hears nothing, and nobody joins.
        const outsider = await engines.openAt("chromium", framed(stranger!, "Eve"));
        await expect
          .poll(() => outsider.evaluate(() => document.querySelector("iframe") !== null, undefined))
          .toBe(true);
        await sleep(3_000);
        expect(await events(outsider)).toEqual([]);
        const status = (await (await fetch(`${engines.server.url}/api/rooms/${room}`)).json()) as { peers: number };
        expect(status.peers).toBe(1);
      }, 60_000);

      it("sends and receives files through tincan/client, checked by SHA-256 at both ends, with the page on the other side", async () => {
        const room = `libfiles-${crypto.randomUUID().slice(0, 8)}`;
        const page = await open("firefox", room);
        await joinRoom(page, "Pat");
        const lib = await engines.openAt("chromium", harness.url);
        type Harness = {
          tincan: typeof TincanClient;
          room: TincanClient.Room;
          offers: TincanClient.FileTransfer[];
          received: Record<string, string>;
          sha(data: ArrayBuffer): Promise<string>;
        };
        await lib.evaluate(
          async ({ server, name }) => {
            const w = window as unknown as Harness;
            while (!w.tincan) await new Promise((resolve) => setTimeout(resolve, 50));
            w.sha = async (data) =>
              [...new Uint8Array(await crypto.subtle.digest("SHA-256", data))]
                .map((b) => b.toString(16).padStart(2, "0"))
                .join("");
            w.offers = [];
            w.received = {};
            w.room = await w.tincan.joinRoom(server, name, { name: "Lib" });
            w.room.on("file-offered", (file) => w.offers.push(file));
            w.room.on(
              "file-received",
              (file, blob) => void blob.arrayBuffer().then(async (data) => (w.received[file.name] = await w.sha(data))),
            );
          },
          { server: engines.server.url, name: room },
        );
        await waitForConnected(page, 1);
        await expect
          .poll(() =>
            lib.evaluate(
              () => [...(window as unknown as Harness).room.peers.values()].map((p) => p.connection),
              undefined,
            ),
          )
          .toEqual(["connected"]);

        // The library offers, the page accepts: the page's own check and ours agree.
        const sent = await lib.evaluate(async () => {
          const w = window as unknown as Harness;
          const whole = new Uint8Array(300_000);
          // getRandomValues fills at most 64 KiB at a time.
          for (let i = 0; i < whole.length; i += 65_536) crypto.getRandomValues(whole.subarray(i, i + 65_536));
          w.room.sendFile(new File([whole], "from-the-library.bin"));
          return w.sha(whole.buffer);
        }, undefined);
        expect(await acceptFile(page, "from-the-library.bin")).toEqual({ size: 300_000, sha: sent });

        // The page offers, the library accepts.
        const offered = await offerRandomFile(page, "from-the-page.bin", 200_000);
        await expect
          .poll(() =>
            lib.evaluate(
              () => (window as unknown as Harness).offers.map((o) => `${o.name} ${o.size} ${o.state}`),
              undefined,
            ),
          )
          .toEqual(["from-the-page.bin 200000 offered"]);
        await lib.evaluate(() => {
          const w = window as unknown as Harness;
          w.room.acceptFile(w.offers[0]!.id);
        }, undefined);
        await expect
          .poll(() => lib.evaluate(() => (window as unknown as Harness).received["from-the-page.bin"], undefined), {
            timeout: 20_000,
          })
          .toBe(offered);
        expect(lib.problems).toEqual([]);
      }, 60_000);
    });
  },
  { firefox: true },
);
