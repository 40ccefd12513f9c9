// What the page remembers between visits: the display name and the chosen
// devices. Storage may be unavailable (private mode): then nothing is kept.

export type PrefKey = "name" | "audioinput" | "videoinput" | "audiooutput" | "knockSound";

export function readPref(key: PrefKey): string {
  try {
    return localStorage.getItem(`tincan:${key}`) ?? "";
  } catch {
    return "";
  }
}

export function writePref(key: PrefKey, value: string): void {
  try {
    localStorage.setItem(`tincan:${key}`, value);
  } catch {
    // Not remembered, nothing else lost.
  }
}

const RECENT_KEY = "tincan:recent";
const RECENT_MAX = 6;

/** The rooms joined lately on this browser, newest first (kept here only, never sent anywhere). */
export function recentRooms(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

export function rememberRoom(room: string): void {
  try {
    const rooms = [room, ...recentRooms().filter((r) => r !== room)].slice(0, RECENT_MAX);
    localStorage.setItem(RECENT_KEY, JSON.stringify(rooms));
  } catch {
    // Not remembered, nothing else lost.
  }
}
