// Who is speaking. Our own microphone is measured with one shared
// AudioContext; remote peers by the audio level their connection's receiver
// reports (Chromium does not feed remote WebRTC audio into Web Audio
// reliably, and the level is already computed for us).

import { audioLevel, type EnergySample, type InboundAudio } from "../peer/audio-level";

const THRESHOLD = 0.02; // RMS of samples in [-1, 1]; the quiet of a room is well below
const POLL_MS = 250;
const STATS_THRESHOLD = 0.01; // audioLevel, linear 0..1

export class SpeakingMeter {
  #context: AudioContext | null = null;
  readonly #meters = new Map<
    string,
    {
      analyser: AnalyserNode;
      source: MediaStreamAudioSourceNode;
      onChange: (speaking: boolean) => void;
      speaking: boolean;
    }
  >();
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #polls = new Map<string, () => void>();

  /** Starts measuring `stream` (its first audio track) under `key`. */
  watch(key: string, stream: MediaStream, onChange: (speaking: boolean) => void): void {
    this.unwatch(key);
    if (stream.getAudioTracks().length === 0 || typeof AudioContext === "undefined") return;
    this.#context ??= new AudioContext();
    void this.#context.resume().catch(() => {});
    const source = this.#context.createMediaStreamSource(stream);
    const analyser = this.#context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    this.#meters.set(key, { analyser, source, onChange, speaking: false });
    this.#timer ??= setInterval(() => this.#poll(), POLL_MS);
  }

  /** Remote audio: polls the connection's inbound audio level. */
  watchConnection(key: string, pc: RTCPeerConnection, onChange: (speaking: boolean) => void): void {
    this.unwatch(key);
    let speaking = false;
    let previous: EnergySample | null = null;
    const timer = setInterval(() => {
      void pc
        .getStats()
        .then((report) => {
          let level = 0;
          report.forEach((entry: InboundAudio) => {
            if (entry.type !== "inbound-rtp" || entry.kind !== "audio") return;
            const read = audioLevel(entry, previous);
            previous = read.sample;
            level = Math.max(level, read.level);
          });
          const now = level > STATS_THRESHOLD;
          if (now !== speaking) {
            speaking = now;
            onChange(now);
          }
        })
        .catch(() => {});
    }, POLL_MS);
    this.#polls.set(key, () => {
      clearInterval(timer);
      if (speaking) onChange(false);
    });
  }

  unwatch(key: string): void {
    this.#polls.get(key)?.();
    this.#polls.delete(key);
    const meter = this.#meters.get(key);
    if (!meter) return;
    meter.source.disconnect();
    this.#meters.delete(key);
    if (meter.speaking) meter.onChange(false);
  }

  stop(): void {
    clearInterval(this.#timer);
    for (const key of [...this.#meters.keys(), ...this.#polls.keys()]) this.unwatch(key);
    void this.#context?.close();
    this.#context = null;
  }

  #poll(): void {
    const samples = new Float32Array(512);
    for (const meter of this.#meters.values()) {
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
