// The pre-join screen's microphone level: an AnalyserNode on the preview's
// stream, read ten times a second into a <meter>, so people see they are
// heard before they join. Stopped on Join: joining comes first.

export function watchMicLevel(stream: MediaStream, meter: HTMLMeterElement): () => void {
  if (stream.getAudioTracks().length === 0 || typeof AudioContext === "undefined") {
    meter.hidden = true;
    return () => {};
  }
  const context = new AudioContext();
  void context.resume().catch(() => {});
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    // RMS of speech sits around 0.05-0.3: scale so talking fills most of the bar.
    meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
  }, 100);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close().catch(() => {});
  };
}
