// Local camera and microphone. A page without either still joins, receive-only.

export type LocalMedia = { kind: "camera"; stream: MediaStream } | { kind: "none"; reason: string };

export async function openLocalMedia(): Promise<LocalMedia> {
  if (!navigator.mediaDevices?.getUserMedia) {
    return { kind: "none", reason: "This browser cannot use a camera or microphone here." };
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width: { ideal: 640 }, height: { ideal: 360 } },
    });
    return { kind: "camera", stream };
  } catch (error) {
    const name = error instanceof DOMException ? error.name : "";
    const reason =
      name === "NotAllowedError" || name === "SecurityError"
        ? "Camera and microphone are blocked for this site. You can join and watch; allow them in the browser's site settings to be seen and heard."
        : "No camera or microphone was found. You can join and watch and listen.";
    return { kind: "none", reason };
  }
}
