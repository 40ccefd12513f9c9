// A whole video chat on Tincan's client library: everyone's camera, and text
// messages over the app's own channel. Open it as
// index.html?server=https://your-tincan.example&room=standup&name=Ada
import { joinRoom, JoinError, type Peer } from "tincan/client";

const params = new URLSearchParams(location.search);
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>("status");

const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true }).catch(() => null);
$<HTMLVideoElement>("me").srcObject = media;

try {
  const room = await joinRoom(params.get("server") ?? location.origin, params.get("room") ?? "lobby", {
    name: params.get("name") ?? "",
    media,
  });
  status.textContent = `In the room as ${room.self.name}`;

  const videos = new Map<string, HTMLVideoElement>();
  const show = (peer: Peer, stream: MediaStream) => {
    let video = videos.get(peer.id);
    if (!video) {
      video = Object.assign(document.createElement("video"), { autoplay: true, playsInline: true, title: peer.name });
      video.dataset["peer"] = peer.id;
      videos.set(peer.id, video);
      $("videos").append(video);
    }
    video.srcObject = stream;
  };
  for (const peer of room.peers.values()) if (peer.stream) show(peer, peer.stream);
  room.on("stream", show);
  room.on("peer-left", (peer) => {
    videos.get(peer.id)?.remove();
    videos.delete(peer.id);
  });

  const say = (line: string) =>
    $("messages").append(Object.assign(document.createElement("li"), { textContent: line }));
  room.on("message", (data, from) => say(`${from.name}: ${(data as { text?: string }).text ?? "(something else)"}`));
  $<HTMLFormElement>("say").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem("text") as HTMLInputElement;
    room.send({ text: input.value });
    say(`me: ${input.value}`);
    input.value = "";
  });

  $("leave").addEventListener("click", () => room.leave());
  room.on("left", (reason) => (status.textContent = `Left the room (${reason})`));
} catch (error) {
  status.textContent = error instanceof JoinError ? `Could not join: ${error.code}` : String(error);
}
