// The connection check, runnable before a call (from the pre-join screen)
// and during one (from Help): gathers candidates with the room's own ICE
// servers and says what it found in words (../peer/reachability).
import type { IceServer, IceServersResponse } from "../../../protocol";
import { el, replaceChildren } from "../dom";
import { describeReachability, transportOfUrl, type Gathered, type RelayTransport } from "./reachability";
import { dialog } from "./dialogs";

const GATHER_TIMEOUT_MS = 8_000;
/**
 * Once the answers that matter are in (the public address, a relay), this
 * long without another candidate ends the check: the servers that failed to
 * answer would only fail later (a browser gives up on one after seconds).
 */
const QUIET_MS = 1_000;

function isTransport(value: unknown): value is RelayTransport {
  return value === "udp" || value === "tcp" || value === "tls";
}

/** Gathers every candidate these servers give (until gathering completes, a quiet second after the answers that matter, or 8 s). */
async function gather(iceServers: IceServer[]): Promise<Gathered> {
  const urls = iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  const stunUrls = urls.filter((u) => /^stuns?:/i.test(u));
  const found: Gathered = {
    types: [],
    relayTransports: [],
    mapped: [],
    errors: [],
    // Two URLs for one server (stun: and stuns:, or a query) are one server.
    stunServers: new Set(stunUrls.map((u) => u.replace(/^stuns?:/i, "").replace(/\?.*$/, ""))).size,
    stunConfigured: stunUrls.length > 0,
    turnConfigured: urls.some((u) => /^turns?:/i.test(u)),
  };
  const fromEvents: RelayTransport[] = [];
  const pc = new RTCPeerConnection({ iceServers: iceServers as RTCIceServer[] });
  try {
    pc.createDataChannel("check");
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, GATHER_TIMEOUT_MS);
      let quiet: ReturnType<typeof setTimeout> | undefined;
      pc.addEventListener("icecandidate", (event) => {
        const candidate = event.candidate;
        if (candidate === null) {
          clearTimeout(timer);
          clearTimeout(quiet);
          resolve();
          return;
        }
        if (!candidate.type) return;
        found.types.push(candidate.type);
        const enough =
          (found.types.includes("srflx") || !found.stunConfigured) &&
          (found.types.includes("relay") || !found.turnConfigured);
        if (enough) {
          clearTimeout(quiet);
          quiet = setTimeout(resolve, QUIET_MS);
        }
        if (candidate.type === "srflx" && candidate.address && candidate.port !== null) {
          found.mapped.push({ address: candidate.address, port: candidate.port });
        }
        if (candidate.type === "relay") {
          const protocol = (candidate as RTCIceCandidate & { relayProtocol?: string }).relayProtocol;
          const url = (event as RTCPeerConnectionIceEvent & { url?: string | null }).url;
          if (isTransport(protocol)) fromEvents.push(protocol);
          else if (url) fromEvents.push(transportOfUrl(url));
        }
      });
      pc.addEventListener("icecandidateerror", (event) => {
        const error = event as RTCPeerConnectionIceErrorEvent;
        found.errors.push({ url: error.url, code: error.errorCode });
      });
    });
    await pc.setLocalDescription();
    await done;
    // How each relay reaches its server: the stats say it in both engines
    // (the candidates themselves do not: Firefox never, Chromium not for UDP).
    (await pc.getStats()).forEach((entry: { type: string; candidateType?: string; relayProtocol?: string }) => {
      if (entry.type === "local-candidate" && entry.candidateType === "relay" && isTransport(entry.relayProtocol)) {
        found.relayTransports.push(entry.relayProtocol);
      }
    });
    if (found.relayTransports.length === 0) found.relayTransports.push(...fromEvents);
  } finally {
    pc.close();
  }
  return found;
}

/** The ICE servers a seat would get, for a check before joining (null if the server will not say). */
export async function fetchCheckServers(): Promise<IceServer[] | null> {
  try {
    const response = await fetch("/api/ice-servers");
    return response.ok ? ((await response.json()) as IceServersResponse).iceServers : null;
  } catch {
    return null;
  }
}

/** A dialog that runs the check when opened and says what it found. */
export function connectionCheckDialog(servers: () => Promise<IceServer[] | null>): {
  dialog: HTMLDialogElement;
  run(): void;
} {
  const result = el("div", { class: "check-result", role: "status", "aria-live": "polite" });
  const again = el("button", { type: "button" }, "Check again");
  const box = dialog("Connection check", result, again);
  const run = () => {
    if (!box.open) box.showModal();
    again.disabled = true;
    replaceChildren(result, el("p", {}, "Checking how this browser reaches the network…"));
    void servers()
      .then((iceServers) => {
        if (iceServers === null) throw new Error("no servers");
        return gather(iceServers);
      })
      .then((gathered) => {
        const { stun, nat, relay, verdict } = describeReachability(gathered);
        replaceChildren(
          result,
          el("p", { class: "check-verdict" }, verdict),
          el("ul", {}, el("li", {}, stun), nat === null ? null : el("li", {}, nat), el("li", {}, relay)),
        );
      })
      .catch(() => replaceChildren(result, el("p", {}, "The check could not run: the server did not answer.")))
      .finally(() => (again.disabled = false));
  };
  again.addEventListener("click", run);
  return { dialog: box, run };
}
