// What peers say to each other on the `tincan` channel: chat, and their own
// media and hand state so every page can show who is muted.
import { boundedString, readJsonRecord } from "./record";

/** Longest chat message, in UTF-16 code units. */
export const MAX_CHAT_CHARS = 2_000;
/** Largest message a page reads on the channel (a chat of 2,000 escaped characters fits). */
export const MAX_MESSAGE_FRAME_CHARS = 16 * 1024;

export interface ChatMessage {
  kind: "chat";
  /** 1 to 2,000 characters, shown as text, never as HTML. */
  text: string;
}

/**
 * A peer's own state, sent once when the channel opens and again on every
 * change. Every field is required: a receiver never has to guess.
 */
export interface PeerStateMessage {
  kind: "state";
  /** Its microphone is sending sound (false: muted, or it has none). */
  mic: boolean;
  /** Its camera is sending a picture (false: off, or it has none). */
  camera: boolean;
  /** It is sharing its screen in place of the camera. */
  screen: boolean;
  /** Its hand is raised. */
  hand: boolean;
}

export type PeerMessage = ChatMessage | PeerStateMessage;

/** A message from the `tincan` channel, or null for anything else. Never throws. */
export function readPeerMessage(data: unknown): PeerMessage | null {
  const value = readJsonRecord(data, MAX_MESSAGE_FRAME_CHARS);
  if (value === null) return null;
  switch (value["kind"]) {
    case "chat": {
      const text = boundedString(value["text"], 1, MAX_CHAT_CHARS);
      return text === null ? null : { kind: "chat", text };
    }
    case "state": {
      const { mic, camera, screen, hand } = value;
      if (typeof mic !== "boolean" || typeof camera !== "boolean") return null;
      if (typeof screen !== "boolean" || typeof hand !== "boolean") return null;
      return { kind: "state", mic, camera, screen, hand };
    }
    default:
      return null;
  }
}
