// The safety code of one connection. The DTLS fingerprints that key the
// call travel through the signaling server, which could swap them to relay
// and re-encrypt everything unseen. Both ends hash the same two fingerprints,
// so they show the same digits unless that happened. docs/security.md gives
// the formula for other clients; it must not change without a new prefix.

/**
 * The first `a=fingerprint` of a description in document order: session
 * level where there is one, else the first media section's (browsers give
 * every section the same). A client may write the hash name or the hex in
 * either case, so both ends normalise before hashing.
 */
export function fingerprint(sdp: string | undefined): string | null {
  const match = /^a=fingerprint:[ \t]*(\S+)[ \t]+(\S+)/m.exec(sdp ?? "");
  return match ? `${match[1]!.toLowerCase()} ${match[2]!.toUpperCase()}` : null;
}

/** Twelve digits; which fingerprint is whose does not matter, so both ends agree. */
export async function safetyCode(a: string, b: string): Promise<string> {
  const [first, second] = [a, b].sort();
  const digest = new DataView(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`tincan-safety-v1\n${first}\n${second}`)),
  );
  // Five bytes reach just past 10^12, so the modulo folds a few values over.
  return String((digest.getUint32(0) * 256 + digest.getUint8(4)) % 1e12).padStart(12, "0");
}

/** "012345678901" as "0123 4567 8901": short groups are easier to read aloud. */
export const groups = (code: string): string => code.replace(/\d{4}(?=\d)/g, "$& ");
