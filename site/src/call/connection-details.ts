// Connection details on demand: polls a peer connection's stats every
// second while its tile shows them.
import { describeDetails, readDetails, type DetailsEntry, type Sample } from "../peer/stats-details";

/** Polls `pc` every second and reports the description, until stopped. */
export function watchDetails(pc: RTCPeerConnection, state: () => string, show: (text: string) => void): () => void {
  let previous: Sample | null = null;
  const tick = async () => {
    try {
      const report = await pc.getStats();
      const { details, sample } = readDetails([...report.values()] as DetailsEntry[], previous, performance.now());
      previous = sample;
      show(describeDetails(state(), details));
    } catch {
      show("No connection details.");
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), 1_000);
  return () => clearInterval(timer);
}
