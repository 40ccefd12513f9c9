// Who is speaking: the loudness of each tile's audio, measured in the page
// with one shared AudioContext (no server, no extra stats traffic).

const THRESHOLD = 0.02; // RMS of samples in [-1, 1]; the quiet of a room is well below
const POLL_MS = 200;

export class SpeakingMeter {
  private context: AudioContext | null = null;
  private readonly meters = new Map<
    string,
    {
      analyser: AnalyserNode;
      source: MediaStreamAudioSourceNode;
      onChange: (speaking: boolean) => void;
      speaking: boolean;
    }
  >();
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Starts measuring `stream` (its first audio track) under `key`. */
  watch(key: string, stream: MediaStream, onChange: (speaking: boolean) => void): void {
    this.unwatch(key);
    if (stream.getAudioTracks().length === 0 || typeof AudioContext === "undefined") return;
    this.context ??= new AudioContext();
    void this.context.resume().catch(() => {});
    const source = this.context.createMediaStreamSource(stream);
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    this.meters.set(key, { analyser, source, onChange, speaking: false });
    this.timer ??= setInterval(() => this.poll(), POLL_MS);
  }

  unwatch(key: string): void {
    const meter = this.meters.get(key);
    if (!meter) return;
    meter.source.disconnect();
    this.meters.delete(key);
    if (meter.speaking) meter.onChange(false);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const key of [...this.meters.keys()]) this.unwatch(key);
    void this.context?.close();
    this.context = null;
  }

  private poll(): void {
    const samples = new Float32Array(512);
    for (const meter of this.meters.values()) {
      meter.analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const speaking = Math.sqrt(sum / samples.length) > THRESHOLD;
      if (speaking !== meter.speaking) {
        meter.speaking = speaking;
        meter.onChange(speaking);
      }
    }
  }
}
