// `BENCH_ONLY=peerjs npm run bench`: the PeerJS section by itself, in a
// wrangler dev of its own, in about a minute a run. Its markdown is returned
// for printing; docs/benchmarks.md is the whole benchmark's and stays as it is.
import { measurePeerjs } from "./peerjs-runs.ts";
import { peerjsSection } from "./report-peerjs.ts";
import { startBenchDev } from "./servers.ts";

export async function peerjsAlone(runs: number, step: (text: string) => void): Promise<string> {
  const dev = await startBenchDev();
  try {
    const out: string[] = [];
    peerjsSection(await measurePeerjs(dev.tincan, runs, step), out);
    return out.join("\n");
  } finally {
    await dev.stop();
  }
}
