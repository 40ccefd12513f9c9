// How loud a peer is, from its connection's stats. Pure, so every browser's
// report shape is unit-tested in Node.

export interface InboundAudio {
  type: string;
  kind?: string;
  audioLevel?: number;
  totalAudioEnergy?: number;
  totalSamplesDuration?: number;
}

export interface EnergySample {
  energy: number;
  duration: number;
}

/**
 * The level of an inbound audio stream now. `audioLevel` where the browser
 * reports it; otherwise from the energy received since the last sample
 * (totalAudioEnergy is the sum of level² × seconds, by definition).
 */
export function audioLevel(
  entry: InboundAudio,
  previous: EnergySample | null,
): { level: number; sample: EnergySample | null } {
  if (entry.totalAudioEnergy === undefined || entry.totalSamplesDuration === undefined) {
    return { level: entry.audioLevel ?? 0, sample: null };
  }
  const sample = { energy: entry.totalAudioEnergy, duration: entry.totalSamplesDuration };
  if (entry.audioLevel !== undefined) return { level: entry.audioLevel, sample };
  const seconds = previous ? sample.duration - previous.duration : 0;
  const level = previous && seconds > 0 ? Math.sqrt(Math.max(0, sample.energy - previous.energy) / seconds) : 0;
  return { level, sample };
}
