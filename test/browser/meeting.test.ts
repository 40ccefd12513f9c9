// The meeting page: controls, chat, files, screen sharing and the page states.
import { createHash } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { MAX_BUFFERED_BYTES } from "../../protocol";
import { launchChromium } from "./support/chromium";
import { describeWithChromium } from "./support/suite";
import { startDevServer, type DevServer } from "./support/dev-server";
import { offerFileInPage } from "./support/peer-page";
import {
  inboundMedia,
  joinAs,
  joined,
  openPage,
  waitForConnected,
  waitForMediaFromAll,
  type TestPage,
} from "./support/pages";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithChromium("the meeting page", () => {
  let server: DevServer;
  let browser: Browser;
  let opened: TestPage[] = [];

  beforeAll(async () => {
    // Three seats, so the room-full pages are quick to reach.
    server = await startDevServer({ ROOM_CAPACITY: "3" });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function closeAll(): Promise<void> {
    for (const { context } of opened.splice(0)) await context.close().catch(() => {});
  }

  const newRoom = () => `meet-${crypto.randomUUID().slice(0, 8)}`;

  async function openRoom(room: string, options?: Parameters<typeof openPage>[2]): Promise<Page> {
    const page = await openPage(browser, `${server.url}/${room}`, options);
    opened.push(page);
    return page.page;
  }

  /** Pages in one room, joined in order, all connected to each other with media. */
  async function meeting(names: string[]): Promise<[Page, ...Page[]]> {
    const room = newRoom();
    const pages: Page[] = [];
    for (const name of names) {
      const page = await openRoom(room);
      await joined(page, name);
      pages.push(page);
    }
    if (pages.length > 1) {
      await Promise.all(pages.map((page) => waitForConnected(page, names.length - 1)));
      await Promise.all(pages.map((page) => waitForMediaFromAll(page)));
    }
    return pages as [Page, ...Page[]];
  }

  /** Frames decoded, how bright they are (0-255) and the audio level received from the page's first peer, over `ms`. */
  async function received(page: Page, ms = 2_000): Promise<{ frames: number; brightness: number; audioLevel: number }> {
    const audioLevel = () =>
      page.evaluate(async () => {
        let level = 0;
        (await window.__tincanPeerConnections[0]!.getStats()).forEach(
          (r: { type: string; kind?: string; audioLevel?: number }) => {
            if (r.type === "inbound-rtp" && r.kind === "audio") level = r.audioLevel ?? 0;
          },
        );
        return level;
      });
    const brightness = () =>
      page.evaluate(() =>
        window.__tincanBrightness(document.querySelectorAll("figure.tile video")[1] as HTMLVideoElement),
      );
    const before = (await inboundMedia(page)).videoFrames[0]!;
    await sleep(ms);
    const after = (await inboundMedia(page)).videoFrames[0]!;
    return { frames: after - before, brightness: await brightness(), audioLevel: await audioLevel() };
  }

  it("Microphone and Camera mute what the other page receives, and say so with aria-pressed", async () => {
    const [alice, bob] = await meeting(["Alice", "Bob"]);
    const camera = alice.getByRole("button", { name: "Camera", exact: true });
    const mic = alice.getByRole("button", { name: "Microphone", exact: true });
    expect(await camera.getAttribute("aria-pressed")).toBe("true");
    expect(await mic.getAttribute("aria-pressed")).toBe("true");
    // The fake microphone beeps: Bob sees Alice's tile light up as speaking, in words too.
    const aliceTile = bob!.getByRole("figure", { name: "Alice", exact: true });
    await aliceTile.getByText("speaking", { exact: true }).waitFor({ timeout: 5_000 });
    const live = await received(bob!);
    expect(live.frames).toBeGreaterThan(15);
    expect(live.brightness).toBeGreaterThan(40); // the fake camera's green picture
    expect(live.audioLevel).toBeGreaterThan(0.001);

    await camera.click();
    await alice.keyboard.press("m"); // the shortcut
    expect(await camera.getAttribute("aria-pressed")).toBe("false");
    expect(await mic.getAttribute("aria-pressed")).toBe("false");
    await sleep(1_000);
    const muted = await received(bob!);
    expect(muted.brightness).toBeLessThan(5); // black
    expect(muted.audioLevel).toBeLessThan(0.001);
    expect(await aliceTile.evaluate((tile) => tile.classList.contains("is-speaking"))).toBe(false);

    await camera.click();
    await mic.click();
    expect(await camera.getAttribute("aria-pressed")).toBe("true");
    await sleep(1_000);
    const back = await received(bob!);
    expect(back.frames).toBeGreaterThan(15);
    expect(back.brightness).toBeGreaterThan(40);
    expect(back.audioLevel).toBeGreaterThan(0.001);
    // No renegotiation for any of it: still the same single connection.
    expect(await bob!.evaluate(() => window.__tincanPeerConnections.length)).toBe(1);
    await closeAll();
  });

  it("delivers chat in order to every page of a three-peer room, names included, HTML as text", async () => {
    const pages = await meeting(["Ann", "Ben", "Cat"]);
    const [ann, ben, cat] = pages as [Page, Page, Page];
    // Ben's chat is closed: he gets an unread count.
    for (const page of [ann, cat]) await page.getByRole("button", { name: "Chat", exact: true }).click();
    const say = async (page: Page, text: string) => {
      await page.getByLabel("Message", { exact: true }).fill(text);
      await page.getByLabel("Message", { exact: true }).press("Enter");
    };
    await say(ann, "hello from Ann");
    await say(cat, "<b>bold?</b><img src=x onerror=alert(1)>");
    await say(ann, "second from Ann");

    const log = (page: Page) => page.getByRole("log", { name: "Messages" });
    for (const page of [ann, cat]) {
      await expect.poll(() => log(page).locator("li").count()).toBe(3);
    }
    await ben.getByRole("button", { name: "Chat", exact: true }).click();
    for (const page of pages) {
      const texts = await log(page).locator(".chat-text").allTextContents();
      expect(texts).toEqual(["hello from Ann", "<b>bold?</b><img src=x onerror=alert(1)>", "second from Ann"]);
      const names = await log(page).locator(".chat-name").allTextContents();
      expect(names.map((n) => n.replace(" (you)", ""))).toEqual(["Ann", "Cat", "Ann"]);
      expect(await log(page).locator("b, img").count()).toBe(0);
    }
    await closeAll();
  });

  it("shows an unread count on Chat while it is closed", async () => {
    const [alice, bob] = await meeting(["Alice", "Bob"]);
    await alice.getByRole("button", { name: "Chat", exact: true }).click();
    await alice.getByLabel("Message", { exact: true }).fill("ping");
    await alice.getByLabel("Message", { exact: true }).press("Enter");
    const chat = bob!.getByRole("button", { name: "Chat", exact: true });
    await expect.poll(() => chat.getAttribute("aria-description")).toBe("1 unread");
    await bob!.getByRole("status").filter({ hasText: "Alice says: ping" }).waitFor();
    await chat.click();
    expect(await chat.getAttribute("aria-description")).toBe("");
    await closeAll();
  });

  async function recordProgress(page: Page): Promise<void> {
    await page.evaluate(() => {
      const w = window as unknown as { __progress: { id: string; bytes: number; state: string }[] };
      w.__progress = [];
      window.addEventListener("tincan:file-progress", (e) => w.__progress.push((e as CustomEvent).detail));
    });
  }

  it("sends a 12 MB file (three times the send high-water mark) intact, with monotonic progress and a bounded send buffer", async () => {
    const [alice, bob] = await meeting(["Alice", "Bob"]);
    const size = 12 * 1024 * 1024;
    for (const page of [alice!, bob!]) await recordProgress(page);

    const sha = await offerFileInPage(alice!, "random.bin", { size });
    await bob!.getByRole("button", { name: "Accept random.bin" }).click();
    const download = bob!.getByRole("link", { name: "Download random.bin" });
    await download.waitFor({ timeout: 60_000 });

    const href = await download.getAttribute("href");
    const received = await bob!.evaluate(async (url) => {
      const data = await (await fetch(url!)).arrayBuffer();
      const digest = await crypto.subtle.digest("SHA-256", data);
      return {
        size: data.byteLength,
        sha: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""),
      };
    }, href);
    expect(received).toEqual({ size, sha });

    for (const page of [alice!, bob!]) {
      const progress = await page.evaluate(
        () => (window as unknown as { __progress: { bytes: number; state: string }[] }).__progress,
      );
      const counts = progress.map((p) => p.bytes);
      expect(counts.length).toBeGreaterThan(100);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(counts.at(-1)).toBe(size);
      expect(progress.at(-1)!.state).toBe("done");
    }
    const maxBuffered = await alice!.evaluate(
      () => (window as unknown as { __tincanMaxBuffered: number }).__tincanMaxBuffered,
    );
    expect(maxBuffered).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED_BYTES);

    // Several files in a row; a type the sender claims (HTML here) is never trusted.
    await offerFileInPage(alice!, "second.html", { text: "<script>parent.pwned = 1</script>", type: "text/html" });
    await bob!.getByRole("button", { name: "Accept second.html" }).click();
    const second = bob!.getByRole("link", { name: "Download second.html" });
    await second.waitFor();
    const secondHref = await second.getAttribute("href");
    expect(await bob!.evaluate(async (url) => (await fetch(url!)).headers.get("content-type"), secondHref)).toBe(
      "application/octet-stream",
    );

    // A received file holds its memory until it is removed, or the call ends:
    // then its download URL no longer resolves.
    const resolves = (url: string | null) =>
      bob!.evaluate(
        (u) =>
          fetch(u!).then(
            () => true,
            () => false,
          ),
        url,
      );
    await bob!.getByRole("button", { name: "Remove random.bin" }).click();
    await download.waitFor({ state: "detached" });
    expect(await resolves(href)).toBe(false);
    expect(await resolves(secondHref)).toBe(true);
    await bob!.getByRole("button", { name: "Leave", exact: true }).click();
    await bob!.getByRole("heading", { name: "You left the room" }).waitFor();
    expect(await resolves(secondHref)).toBe(false);
    await closeAll();
  }, 120_000);

  it("lets the receiver decline, and cancel mid-way, which stops the sender", async () => {
    const [alice, bob] = await meeting(["Alice", "Bob"]);
    await recordProgress(alice!);
    await offerFileInPage(alice!, "unwanted.bin", { size: 1024 });
    await bob!.getByRole("button", { name: "Decline unwanted.bin" }).click();
    await alice!.locator(".transfer", { hasText: "unwanted.bin" }).filter({ hasText: "declined" }).waitFor();

    await offerFileInPage(alice!, "big.bin", { size: 40 * 1024 * 1024 });
    await bob!.getByRole("button", { name: "Accept big.bin" }).click();
    await bob!.waitForFunction(
      () => Number((document.querySelector(".transfer progress") as HTMLProgressElement)?.value) > 2 * 1024 * 1024,
    );
    await bob!.getByRole("button", { name: "Cancel big.bin" }).click();
    await alice!.locator(".transfer", { hasText: "big.bin" }).filter({ hasText: "cancelled" }).waitFor();
    const sentAtCancel = await alice!.evaluate(
      () => (window as unknown as { __progress: { bytes: number }[] }).__progress.at(-1)!.bytes,
    );
    await sleep(1_000);
    const sentLater = await alice!.evaluate(
      () => (window as unknown as { __progress: { bytes: number }[] }).__progress.at(-1)!.bytes,
    );
    expect(sentLater).toBe(sentAtCancel);
    expect(sentAtCancel).toBeLessThan(40 * 1024 * 1024);
    await closeAll();
  });

  it("shares the screen in place of the camera, and goes back when the browser's own stop is used", async () => {
    const [alice, bob] = await meeting(["Alice", "Bob"]);
    const remoteWidth = () =>
      bob!.evaluate(() => (document.querySelectorAll("figure.tile video")[1] as HTMLVideoElement).videoWidth);
    const cameraWidth = await remoteWidth();
    const share = alice!.getByRole("button", { name: "Share screen", exact: true });
    await share.click();
    await expect.poll(() => share.getAttribute("aria-pressed")).toBe("true");
    // The fake screen is 1280 wide; the fake camera is not.
    await expect.poll(remoteWidth, { timeout: 10_000 }).toBe(1280);
    expect(cameraWidth).not.toBe(1280);
    // A share has a budget of its own: more bits than the camera, never scaled down.
    const videoEncoding = () =>
      alice!.evaluate(() => {
        const sender = window.__tincanPeerConnections[0]!.getSenders().find((s) => s.track?.kind === "video")!;
        const { maxBitrate, scaleResolutionDownBy } = sender.getParameters().encodings[0]!;
        return { maxBitrate, scaleResolutionDownBy };
      });
    await expect.poll(videoEncoding).toEqual({ maxBitrate: 2_500_000, scaleResolutionDownBy: 1 });
    expect(await bob!.evaluate(() => window.__tincanPeerConnections.length)).toBe(1);

    // What the browser's "Stop sharing" does: the track ends.
    await alice!.evaluate(() => {
      for (const pc of window.__tincanPeerConnections) {
        for (const sender of pc.getSenders()) {
          if (sender.track?.label.startsWith("screen")) {
            sender.track.stop();
            sender.track.dispatchEvent(new Event("ended"));
          }
        }
      }
    });
    await expect.poll(() => share.getAttribute("aria-pressed")).toBe("false");
    // The camera again (its resolution may have been adapted meanwhile), at the camera's budget.
    await expect.poll(remoteWidth, { timeout: 10_000 }).not.toBe(1280);
    await expect.poll(videoEncoding).toEqual({ maxBitrate: 1_500_000, scaleResolutionDownBy: 1 });
    expect(await remoteWidth()).toBeLessThanOrEqual(cameraWidth);
    await closeAll();
  });

  it("says the room is full before joining, and when the last seat goes while on the pre-join screen", async () => {
    const room = newRoom();
    const late = await openRoom(room); // on the pre-join screen while there is space
    for (const name of ["P1", "P2", "P3"]) await joined(await openRoom(room), name);
    const fourth = await openRoom(room);
    await fourth.getByRole("heading", { name: "This room is full" }).waitFor();
    await fourth.getByRole("button", { name: "Try again" }).waitFor();

    await joinAs(late, "Late");
    await late.getByRole("heading", { name: "This room is full" }).waitFor();
    await closeAll();
  });

  it("locks the room: a knock is seen by everyone inside, denied shows a page, admitted joins the call", async () => {
    const room = newRoom();
    const alice = await openRoom(room);
    await joined(alice, "Alice");
    const bob = await openRoom(room);
    await joined(bob, "Bob");
    const lock = alice.getByRole("button", { name: "Lock room" });
    await lock.click();
    await expect.poll(() => lock.getAttribute("aria-pressed")).toBe("true");
    await bob.getByText("Locked by Alice").waitFor();
    await alice.getByText("Locked by you").waitFor();

    // Dave knocks: he waits, both inside are asked; Alice says no.
    const dave = await openRoom(room);
    await dave.getByText("The room is locked").waitFor();
    await joinAs(dave, "Dave");
    await dave.getByText("Waiting for someone in the room to let you in").waitFor();
    await bob.getByRole("button", { name: "Admit Dave" }).waitFor();
    await bob.getByRole("status").filter({ hasText: "Dave wants to join" }).waitFor();
    await alice.getByRole("button", { name: "Deny Dave" }).click();
    await dave.getByRole("heading", { name: "You were not let in" }).waitFor();
    await bob.getByRole("button", { name: "Admit Dave" }).waitFor({ state: "detached" });

    // Carol knocks; Alice lets her in, and the call connects all three.
    const carol = await openRoom(room);
    await joinAs(carol, "Carol");
    await carol.getByText("Waiting for someone in the room to let you in").waitFor();
    await bob.getByRole("button", { name: "Deny Carol" }).waitFor();
    await alice.getByRole("button", { name: "Admit Carol" }).click();
    await carol.getByRole("status").filter({ hasText: "You joined as Carol" }).waitFor();
    await carol.getByText("Locked by Alice").waitFor();
    await Promise.all([alice, bob, carol].map((page) => waitForConnected(page, 2)));
    await bob.getByRole("button", { name: "Admit Carol" }).waitFor({ state: "detached" });
    await closeAll();
  });

  it("lets a knocker stop waiting with Cancel, which ends the knock inside", async () => {
    const room = newRoom();
    const alice = await openRoom(room);
    await joined(alice, "Alice");
    await alice.getByRole("button", { name: "Lock room" }).click();
    await alice.getByText("Locked by you").waitFor();
    const erin = await openRoom(room);
    await joinAs(erin, "Erin");
    await alice.getByRole("button", { name: "Admit Erin" }).waitFor();
    await erin.getByRole("button", { name: "Cancel" }).click();
    await erin.getByRole("heading", { name: "You stopped waiting" }).waitFor();
    await alice.getByRole("button", { name: "Admit Erin" }).waitFor({ state: "detached" });
    await closeAll();
  });

  it("explains how to allow a blocked camera and joins receive-only", async () => {
    const room = newRoom();
    const blocked = await openRoom(room, { media: "denied" });
    await blocked.getByText("allow them in the browser's site settings").waitFor();
    await joined(blocked, "Viewer");
    await blocked.getByText("receive-only mode").waitFor();
    expect(await blocked.getByRole("button", { name: "Camera", exact: true }).isDisabled()).toBe(true);
    await closeAll();
  });

  it("leaves, then Rejoin brings the page back into the call", async () => {
    const [alice, bob] = await meeting(["Alice", "Bob"]);
    await alice!.getByRole("button", { name: "Leave", exact: true }).click();
    await alice!.getByRole("heading", { name: "You left the room" }).waitFor();
    await bob!.getByRole("figure", { name: "Alice", exact: true }).waitFor({ state: "detached" });
    await alice!.getByRole("button", { name: "Rejoin" }).click();
    await joined(alice!, "Alice");
    await waitForConnected(alice!);
    await bob!.getByRole("figure", { name: "Alice", exact: true }).waitFor();
    await closeAll();
  });

  it("lists the keyboard shortcuts in a help dialog, opened by its button or ?", async () => {
    const [alice] = await meeting(["Alice"]);
    await alice!.keyboard.press("?");
    const help = alice!.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    expect(await help.textContent()).toContain("Microphone on or off");
    await help.getByRole("button", { name: "Close" }).click();
    await alice!.getByRole("button", { name: "Help", exact: true }).click();
    await help.waitFor();
    await closeAll();
  });
  it("reaches every control by keyboard, with a visible focus ring", async () => {
    const [alice] = await meeting(["Alice"]);
    const reached: string[] = [];
    for (let i = 0; i < 25; i++) {
      await alice.keyboard.press("Tab");
      const focused = await alice.evaluate(() => {
        const active = document.activeElement as HTMLElement | null;
        return {
          name: active?.getAttribute("aria-label") ?? active?.textContent?.trim() ?? "",
          outline: active ? getComputedStyle(active).outlineStyle : "none",
        };
      });
      reached.push(focused.name);
      if (["Microphone", "Leave"].includes(focused.name)) expect(focused.outline).toBe("solid");
    }
    for (const name of [
      "Microphone",
      "Camera",
      "Share screen",
      "Chat",
      "Send file",
      "Copy link",
      "Settings",
      "Help",
      "Leave",
    ]) {
      expect(reached).toContain(name);
    }
    // Space works the toggles like a click.
    while ((await alice.evaluate(() => document.activeElement?.textContent?.trim())) !== "Microphone") {
      await alice.keyboard.press("Tab");
    }
    await alice.keyboard.press("Space");
    expect(await alice.getByRole("button", { name: "Microphone", exact: true }).getAttribute("aria-pressed")).toBe(
      "false",
    );
    await closeAll();
  });

  it("copies the room link, and offers the devices in Settings", async () => {
    const [alice] = await meeting(["Alice"]);
    await opened[0]!.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await alice.getByRole("button", { name: "Copy link", exact: true }).click();
    await alice.getByRole("status").filter({ hasText: "Link copied" }).waitFor();
    const copied = await alice.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`${server.url}${new URL(alice.url()).pathname}`);

    await alice.getByRole("button", { name: "Settings", exact: true }).click();
    const devices = alice.getByRole("dialog", { name: "Devices" });
    await devices.getByLabel("Camera").waitFor();
    await devices.getByLabel("Microphone").waitFor();
    await closeAll();
  });
  it("tells the truth about each connection on demand, in words", async () => {
    const [alice] = await meeting(["Alice", "Bob"]);
    const details = alice.getByRole("button", { name: "Connection details for Bob" });
    expect(await details.getAttribute("aria-expanded")).toBe("false");
    await details.click();
    expect(await details.getAttribute("aria-expanded")).toBe("true");
    const text = alice.getByRole("figure", { name: "Bob", exact: true }).locator(".tile-details");
    await expect
      .poll(() => text.textContent(), { timeout: 5_000 })
      .toMatch(/direct, peer to peer; round trip \d+ ms; receiving [\d.]+ (k|M)bit\/s/);
    await details.click();
    expect(await text.isHidden()).toBe(true);
    await closeAll();
  });
  /** What the page shows as its safety code with `name`, from the People panel. */
  const shownCode = (page: Page, name: string) =>
    page.getByLabel(`Safety code with ${name}`, { exact: true }).textContent({ timeout: 1_000 });

  /** The first fingerprint of each open connection's two descriptions, as the page holds them. */
  const fingerprints = (page: Page) =>
    page.evaluate(() => {
      const first = (sdp: string | undefined) => /^a=fingerprint:(.*)$/m.exec(sdp ?? "")?.[1]?.trim() ?? "";
      return window.__tincanPeerConnections
        .filter((pc) => pc.connectionState !== "closed")
        .map((pc) => ({ local: first(pc.localDescription?.sdp), remote: first(pc.remoteDescription?.sdp) }));
    });

  /** The code docs/security.md defines, computed here from the two fingerprints. */
  function expectedCode(a: string, b: string): string {
    const [first, second] = [a, b].sort();
    const digest = createHash("sha256").update(`tincan-safety-v1\n${first}\n${second}`).digest();
    const digits = String(digest.readUIntBE(0, 5) % 10 ** 12).padStart(12, "0");
    return `${digits.slice(0, 4)} ${digits.slice(4, 8)} ${digits.slice(8)}`;
  }

  /**
   * Every pair of pages shows one code, and it is the one their connection's
   * fingerprints give: each side's local fingerprint is what the other side
   * received. Returns the code of each pair.
   */
  async function checkSafetyCodes(people: { name: string; page: Page }[]): Promise<string[]> {
    const codes: string[] = [];
    for (const [i, a] of people.entries()) {
      for (const b of people.slice(i + 1)) {
        for (const [viewer, other] of [
          [a, b],
          [b, a],
        ] as const) {
          await expect
            .poll(() => shownCode(viewer.page, other.name), { timeout: 15_000 })
            .toMatch(/^\d{4} \d{4} \d{4}$/);
        }
        const [onA, onB] = await Promise.all([fingerprints(a.page), fingerprints(b.page)]);
        const link = onA.find((x) => onB.some((y) => y.local === x.remote && y.remote === x.local));
        expect(link, `one connection of ${a.name}'s is to ${b.name}`).toBeDefined();
        const code = expectedCode(link!.local, link!.remote);
        expect(await shownCode(a.page, b.name)).toBe(code);
        expect(await shownCode(b.page, a.name)).toBe(code);
        codes.push(code);
      }
    }
    return codes;
  }

  it("shows both ends of each connection the same safety code, the one its fingerprints give", async () => {
    const room = newRoom();
    const people: { name: string; page: Page }[] = [];
    const join = async (name: string) => {
      const page = await openRoom(room);
      await joined(page, name);
      await page.getByRole("button", { name: "People", exact: true }).click();
      people.push({ name, page });
      return page;
    };
    const ann = await join("Ann");
    await join("Ben");
    const [pair] = await checkSafetyCodes(people);
    await ann.getByText("Read your codes to each other over the call").waitFor();

    // Verified is set by hand, survives the list being rebuilt and keeps the focus.
    const verified = ann.getByRole("checkbox", { name: "Verified Ben", exact: true });
    await verified.check();
    expect(await ann.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Verified Ben");

    // A third page in the same room: three connections, three different codes, each agreed on.
    await join("Cat");
    const codes = await checkSafetyCodes(people);
    expect(codes[0]).toBe(pair);
    expect(new Set(codes).size).toBe(3);
    expect(await verified.isChecked()).toBe(true);
    expect(await ann.getByRole("checkbox", { name: "Verified Cat", exact: true }).isChecked()).toBe(false);
    await closeAll();
  });
});
