// When the browser itself knows the new network. Chromium tells the page it
// went offline and online within tens of milliseconds, but its WebRTC stack
// learns the new interface list about 1.6 s later (measured in the network
// lab): an ICE restart before then gathers on the address that is gone and
// finds nothing. So after a change the page asks, every 100 ms, which host
// addresses a throwaway connection would gather, and restarts once they
// differ from the first answer. (Firefox names its host candidates anew each
// time, so it is let through at the second answer: its list is current.)

const POLL_MS = 100;
/** Never wait longer than this: an address that truly did not change must not hold calls back. */
export const MAX_SETTLE_MS = 3_000;

/** Host candidates all come within milliseconds of each other: this long after the first, the list is whole. */
const AFTER_FIRST_MS = 20;

/** The host addresses (or mDNS names) a connection without servers gathers now. */
async function hostAddresses(): Promise<Set<string>> {
  const pc = new RTCPeerConnection();
  const found = new Set<string>();
  try {
    pc.createDataChannel("probe");
    const done = new Promise<void>((resolve) => {
      let timer = setTimeout(resolve, 300);
      pc.addEventListener("icecandidate", ({ candidate }) => {
        if (candidate === null) {
          clearTimeout(timer);
          resolve();
        } else if (candidate.type === "host" && candidate.address) {
          // Not waiting for gathering to complete: Chromium takes half a second to say so.
          if (found.size === 0) {
            clearTimeout(timer);
            timer = setTimeout(resolve, AFTER_FIRST_MS);
          }
          found.add(candidate.address);
        }
      });
    });
    await pc.setLocalDescription();
    await done;
  } finally {
    pc.close();
  }
  return found;
}

/** Resolves once the browser's own address list has changed since the call (or after MAX_SETTLE_MS). */
export async function newAddressesKnown(isCancelled: () => boolean): Promise<void> {
  const deadline = Date.now() + MAX_SETTLE_MS;
  const before = await hostAddresses();
  while (Date.now() < deadline && !isCancelled()) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const now = await hostAddresses();
    if ([...now].some((address) => !before.has(address))) return;
  }
}
