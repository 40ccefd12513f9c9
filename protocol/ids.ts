// Names and identifiers shared by the worker and the site: what a room name
// may be, how fresh room names and peer ids are made, how display names are
// cleaned. Randomness always comes from crypto.getRandomValues.

export const ROOM_NAME_MAX_LENGTH = 64;
export const DISPLAY_NAME_MAX_LENGTH = 40;
export const PEER_ID_MAX_LENGTH = 64;

const ROOM_NAME_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${ROOM_NAME_MAX_LENGTH}}$`);
// First path segments that can never be rooms because the app owns them:
// the API, and the PeerJS endpoint at its default PEERJS_PATH (a deploy
// that moves it shadows whatever room shares its first segment).
const RESERVED_ROOM_NAMES = new Set(["api", "peerjs"]);

/**
 * The canonical (lower-case) room name, or null when `raw` is not a valid
 * room name. Rooms are case-insensitive: `Team-A` and `team-a` are one room.
 */
export function normalizeRoomName(raw: string): string | null {
  if (!ROOM_NAME_PATTERN.test(raw)) return null;
  const name = raw.toLowerCase();
  return RESERVED_ROOM_NAMES.has(name) ? null : name;
}

// No 0/o, 1/l/i: a room name read aloud or copied by hand survives.
const UNAMBIGUOUS = "23456789abcdefghjkmnpqrstuvwxyz";

function randomChars(count: number, alphabet: string): string {
  // Rejection sampling: bytes at or above the largest multiple of the
  // alphabet size would bias the first letters.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  const bytes = new Uint8Array(count * 2);
  while (out.length < count) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === count) break;
    }
  }
  return out;
}

/**
 * A fresh unguessable room name like `k3m7-qxpw-2dq9`: 12 characters from a
 * 31-letter alphabet, 59 bits of entropy.
 */
export function newRoomName(): string {
  const chars = randomChars(12, UNAMBIGUOUS);
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** A server-made peer id: 96 random bits, base64url, 16 characters. */
export function newPeerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_");
}

// Control characters (Cc) and invisible format characters (Cf, which include
// the bidi overrides that make a name render as something else).
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * A display name fit to show: control and format characters removed, white
 * space trimmed, at most 40 characters (code points, so an emoji is never
 * cut in half). Empty input gives `Guest NNNN`.
 */
export function cleanDisplayName(raw: string | null | undefined): string {
  const stripped = (raw ?? "").replace(INVISIBLE, "").trim();
  const cut = Array.from(stripped).slice(0, DISPLAY_NAME_MAX_LENGTH).join("").trim();
  if (cut !== "") return cut;
  const n = crypto.getRandomValues(new Uint16Array(1))[0]! % 10000;
  return `Guest ${String(n).padStart(4, "0")}`;
}
