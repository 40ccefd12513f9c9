// The pure parts of coming back after a network change: when media counts
// as stalled, when a lost path is restarted and by whom, how failures back
// off, and when the page's own network counts as changed. The network lab
// (test/network) proves the whole on real routers.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NETWORK_SETTLE_MS, watchNetwork, type NetworkEnv } from "../../site/src/net/network-watch";
import { failedRetryDelayMs, shouldRestart } from "../../site/src/peer/restart-rules";
import { bundledAway, iceGeneration, sessionId } from "../../site/src/peer/sdp-facts";
import { STALL_MS, StallWatch } from "../../site/src/peer/stall";

describe("StallWatch", () => {
  it("reports a stall once, STALL_MS after the last packet of media that was flowing", () => {
    const watch = new StallWatch();
    expect(watch.sample(1_000, 0)).toBe(false);
    expect(watch.sample(1_020, 200)).toBe(false);
    expect(watch.flowing).toBe(true);
    expect(watch.sample(1_020, 200 + STALL_MS - 1)).toBe(false);
    expect(watch.sample(1_020, 200 + STALL_MS)).toBe(true);
    expect(watch.flowing).toBe(false);
    // Once per stall.
    expect(watch.sample(1_020, 200 + 3 * STALL_MS)).toBe(false);
    // Media again re-arms it.
    expect(watch.sample(5_000, 5_000)).toBe(false);
    expect(watch.flowing).toBe(true);
    expect(watch.sample(5_000, 5_000 + STALL_MS)).toBe(true);
  });

  it("never reports a connection that never carried media, nor sources that merely expired", () => {
    const watch = new StallWatch();
    for (let now = 0; now < 10 * STALL_MS; now += 200) expect(watch.sample(0, now)).toBe(false);
    expect(watch.heard).toBe(false);
    watch.sample(2_000, 0);
    // Browsers forget sources after 10 s of silence: a reading of 0 is no news, not media.
    expect(watch.sample(0, 100)).toBe(false);
    expect(watch.flowing).toBe(true);
  });
});

describe("restarting a lost path", () => {
  it("restarts only if nobody restarted meanwhile and it did not come back by itself", () => {
    expect(shouldRestart({ generationThen: "a/b", generationNow: "a/b", recovered: false })).toBe(true);
    expect(shouldRestart({ generationThen: "a/b", generationNow: "a/c", recovered: false })).toBe(false);
    expect(shouldRestart({ generationThen: "a/b", generationNow: "a/b", recovered: true })).toBe(false);
  });

  it("reads the ICE generation from both descriptions' credentials", () => {
    const sdp = (ufrag: string) =>
      `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:${ufrag}\r\n`;
    expect(iceGeneration(sdp("x1"), sdp("y1"))).toBe("x1/y1");
    expect(iceGeneration(sdp("x2"), sdp("y1"))).not.toBe(iceGeneration(sdp("x1"), sdp("y1")));
    expect(iceGeneration(undefined, undefined)).toBe("/");
  });

  it("restarts a failed connection at once, then less and less often", () => {
    const delays = [0, 1, 2, 3, 4, 5, 10].map(failedRetryDelayMs);
    expect(delays).toEqual([0, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("tells a new connection of the peer's from a renegotiation by the SDP's session id", () => {
    const sdp = (session: string, version: number) =>
      `v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 ${session} ${version} IN IP4 0.0.0.0\r\ns=-\r\n`;
    expect(sessionId(sdp("4711", 0))).toBe("4711");
    expect(sessionId(sdp("4711", 3))).toBe(sessionId(sdp("4711", 0)));
    expect(sessionId(sdp("4712", 0))).not.toBe(sessionId(sdp("4711", 0)));
    expect(sessionId("not an sdp")).toBeNull();
  });
});

describe("watchNetwork", () => {
  let target: EventTarget;
  let connection: EventTarget;
  let online: boolean;
  const env = (): NetworkEnv => ({ target, connection, onLine: () => online });

  beforeEach(() => {
    vi.useFakeTimers();
    target = new EventTarget();
    connection = new EventTarget();
    online = true;
  });
  afterEach(() => vi.useRealTimers());

  it("says once that the network changed, when a burst of events has settled and the browser is online", () => {
    const changed = vi.fn();
    watchNetwork(changed, env());
    // What Chromium fires when an interface goes and another comes: offline, four changes, online.
    online = false;
    target.dispatchEvent(new Event("offline"));
    for (let i = 0; i < 4; i++) connection.dispatchEvent(new Event("change"));
    online = true;
    target.dispatchEvent(new Event("online"));
    vi.advanceTimersByTime(NETWORK_SETTLE_MS - 1);
    expect(changed).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it("waits while offline, and stops when told", () => {
    const changed = vi.fn();
    const stop = watchNetwork(changed, env());
    online = false;
    target.dispatchEvent(new Event("offline"));
    vi.advanceTimersByTime(10 * NETWORK_SETTLE_MS);
    expect(changed).not.toHaveBeenCalled();
    stop();
    online = true;
    target.dispatchEvent(new Event("online"));
    vi.advanceTimersByTime(10 * NETWORK_SETTLE_MS);
    expect(changed).not.toHaveBeenCalled();
  });
});

describe("bundledAway", () => {
  const offer = (group: string) =>
    ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", group, "m=audio 9 UDP/TLS/RTP/SAVPF 111", ""].join("\r\n");

  it("drops candidates of every bundled section but the tagged first one", () => {
    const sdp = offer("a=group:BUNDLE 0 1 2");
    expect(bundledAway(sdp, "0")).toBe(false);
    expect(bundledAway(sdp, "1")).toBe(true);
    expect(bundledAway(sdp, "2")).toBe(true);
  });

  it("keeps what it cannot place: no mid, a mid outside the group, no group, a group of one", () => {
    const sdp = offer("a=group:BUNDLE audio video");
    expect(bundledAway(sdp, null)).toBe(false);
    expect(bundledAway(sdp, undefined)).toBe(false);
    expect(bundledAway(sdp, "data")).toBe(false);
    expect(bundledAway(sdp, "video")).toBe(true);
    expect(bundledAway(offer("a=group:LS 0 1"), "1")).toBe(false);
    expect(bundledAway(offer("a=group:BUNDLE 0"), "0")).toBe(false);
    expect(bundledAway(undefined, "1")).toBe(false);
  });
});
