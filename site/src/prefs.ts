// What the page remembers between visits: the display name and the chosen
// devices. Storage may be unavailable (private mode): then nothing is kept.

export type PrefKey = "name" | "audioinput" | "videoinput" | "audiooutput";

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
