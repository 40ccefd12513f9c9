// Connection details on demand: polls a peer connection's stats every
// second while its tile shows them.
import { readDetails, type Details, type DetailsEntry, type Sample } from "../peer/stats-details";

/** Polls `pc` every second and reports what it read (null: the stats could not be read), until stopped. */
export function watchDetails(pc: RTCPeerConnection, report: (details: Details | null) => void): () => void {
  let previous: Sample | null = null;
  const tick = async () => {
    try {
      const stats = await pc.getStats();
      const { details, sample } = readDetails([...stats.values()] as DetailsEntry[], previous, performance.now());
      previous = sample;
      report(details);
    } catch {
      report(null);
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), 1_000);
  return () => clearInterval(timer);
}
