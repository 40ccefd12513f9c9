// The report's "Real networks" section: the network lab's figures, between
// markers so that `BENCH_ONLY=network` can replace this section alone in
// docs/benchmarks.md and leave the rest of the file as the last full run
// wrote it.
import { table } from "./markdown.ts";
import type { NetworkFigures } from "./network-lab.ts";
import { formatSpread, spread } from "./stats.ts";

export const NETWORK_START = "<!-- network lab: written by bench/report-network.ts -->";
export const NETWORK_END = "<!-- end of the network lab -->";

const ms = (values: number[]) => formatSpread(spread(values), 0, " ms");

export function networkSection(figures: NetworkFigures | { skipped: string }, runs: number, date: string): string {
  const out: string[] = [NETWORK_START, "## Real networks (the network lab)", ""];
  if ("skipped" in figures) {
    out.push(`Not measured in this run: ${figures.skipped}.`, "", NETWORK_END);
    return out.join("\n");
  }
  out.push(
    `Measured ${date}, ${runs} runs of each figure (median, min–max in brackets), in the lab the test suite uses ` +
      "(test/network: homes behind routers that NAT as real ones do, Tincan and coturn on the lab's internet; see " +
      "[networks.md](networks.md)). Chromium in both homes unless a figure says otherwise.",
    "",
    "### Join to connected, by kind of home",
    "",
    "The second person presses Join (the first is in the room); the time is theirs, from the press to their connection's `connected`. " +
      "The floor is the same two homes and the same ICE servers with no server at all: the driver carries the offer, the answer and every candidate across as it polls them (every 10 ms). " +
      "The path is where each call settled, as its tile said 3 s after connecting (every run's word: a call may connect through the relay and move to a direct pair a moment later).",
    "",
  );
  table(
    out,
    ["homes", "path", "Tincan", "floor", "ratio"],
    figures.pairs.map((p) => [
      p.label,
      p.path,
      ms(p.tincan),
      ms(p.floor),
      `${(spread(p.tincan).median / spread(p.floor).median).toFixed(2)}×`,
    ]),
  );
  out.push(
    "### Media back after a network switch",
    "",
    "A call between the mobile home and a cone home, Chromium and Firefox on either side. Then the mobile host's uplink moves to another router " +
      "(its address changes, and the signaling socket is left bound to an address that is gone), or its router's outside address changes " +
      "(every mapping through it is gone). The time runs from the switch to the first packet of media after the gap, on whichever page was later.",
    "",
  );
  table(
    out,
    ["switch", "media back"],
    figures.switches.map((s) => [s.label, ms(s.back)]),
  );
  out.push(
    "### Bad links",
    "",
    "Both homes' links impaired each way (Chromium in one, Firefox in the other). Chat: five messages each way, each from its send to its arrival.",
    "",
  );
  table(
    out,
    ["link", "Join to connected", "one chat message"],
    figures.links.map((l) => [l.label, ms(l.connect), ms(l.chat)]),
  );
  if (figures.failed.length > 0) {
    out.push(`Tried once more after a failure: ${figures.failed.join(", ")}.`, "");
  }
  out.push(NETWORK_END);
  return out.join("\n");
}

/** `markdown` with its network section replaced by `section` (or the section added at the end). */
export function spliceNetworkSection(markdown: string, section: string): string {
  const start = markdown.indexOf(NETWORK_START);
  const end = markdown.indexOf(NETWORK_END);
  if (start === -1 || end === -1) return `${markdown.trimEnd()}\n\n${section}\n`;
  return markdown.slice(0, start) + section + markdown.slice(end + NETWORK_END.length);
}
