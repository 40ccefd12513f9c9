// The connection check, runnable before a call (from the pre-join screen)
// and during one (from Help): gathers candidates with the room's own ICE
// servers and says what it found in words (../peer/reachability).
import type { IceServer, IceServersResponse } from "../../../protocol";
import { el, replaceChildren } from "../dom";
import { describeReachability, transportOfUrl, type Gathered, type RelayTransport } from "../peer/reachability";
import { dialog } from "./dialogs";

const GATHER_TIMEOUT_MS = 8_000;

/** Gathers every candidate these servers give (until gathering completes, or 8 s). */
async function gather(iceServers: IceServer[]): Promise<Gathered> {
  const urls = iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  const found: Gathered = {
    types: [],
    relayTransports: [],
    errors: [],
    stunConfigured: urls.some((u) => /^stuns?:/i.test(u)),
    turnConfigured: urls.some((u) => /^turns?:/i.test(u)),
  };
  const pc = new RTCPeerConnection({ iceServers: iceServers as RTCIceServer[] });
  try {
    pc.createDataChannel("check");
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, GATHER_TIMEOUT_MS);
      pc.addEventListener("icecandidate", (event) => {
        const candidate = event.candidate;
        if (candidate === null) {
          clearTimeout(timer);
          resolve();
          return;
        }
        if (!candidate.type) return;
        found.types.push(candidate.type);
        if (candidate.type === "relay") {
          const protocol = (candidate as RTCIceCandidate & { relayProtocol?: string }).relayProtocol;
          const url = (event as RTCPeerConnectionIceEvent & { url?: string | null }).url ?? "";
          found.relayTransports.push(
            protocol === "udp" || protocol === "tcp" || protocol === "tls"
              ? (protocol as RelayTransport)
              : transportOfUrl(url),
          );
        }
      });
      pc.addEventListener("icecandidateerror", (event) => {
        const error = event as RTCPeerConnectionIceErrorEvent;
        found.errors.push({ url: error.url, code: error.errorCode });
      });
    });
    await pc.setLocalDescription();
    await done;
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
        const { stun, relay, verdict } = describeReachability(gathered);
        replaceChildren(
          result,
          el("p", { class: "check-verdict" }, verdict),
          el("ul", {}, el("li", {}, stun), el("li", {}, relay)),
        );
      })
      .catch(() => replaceChildren(result, el("p", {}, "The check could not run: the server did not answer.")))
      .finally(() => (again.disabled = false));
  };
  again.addEventListener("click", run);
  return { dialog: box, run };
}
