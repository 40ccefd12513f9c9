// The browser's side of ./network-watch: where a page hears that its
// network changed. Kept apart so the watch itself runs in Node's unit tests.
import type { NetworkEnv } from "./network-watch";

/** The page's network events, or null where there is no window (a worker, Node). */
export function browserNetwork(): NetworkEnv | null {
  if (typeof window === "undefined") return null;
  // `navigator.connection` is Chromium's Network Information API; Firefox has none.
  const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
  return { target: window, connection, onLine: () => navigator.onLine };
}
