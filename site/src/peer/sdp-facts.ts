// Facts read off a session description without parsing all of it: which
// session it belongs to and which ICE credentials it carries. Pure, so the
// rules built on them are unit tested in Node.

/** The session id of an SDP's o= line: a new connection has a new one, a renegotiation keeps it. */
export function sessionId(sdp: string | undefined): string | null {
  return /^o=\S+ (\S+) /m.exec(sdp ?? "")?.[1] ?? null;
}

/** The ICE credentials in an SDP: a restart (by either side) changes them. */
export function iceGeneration(localSdp: string | undefined, remoteSdp: string | undefined): string {
  const ufrag = (sdp: string | undefined) => /^a=ice-ufrag:(\S+)/m.exec(sdp ?? "")?.[1] ?? "";
  return `${ufrag(localSdp)}/${ufrag(remoteSdp)}`;
}

/**
 * Whether a remote candidate belongs to a section that was bundled away, and
 * so names a socket the peer no longer uses for anything. An offerer that
 * gathers per section (every browser's default "balanced" policy) trickles
 * candidates for its second and third sections until the answer bundles
 * them. Chromium drops those; Firefox pairs them with the bundle's own
 * transport, where a dead srflx pair shares its foundation with the live one
 * and, in ICE's frozen order, is checked first while the live one waits: the
 * lab saw two Firefox pages behind cone NATs settle on a relay one call in
 * three. So a candidate whose mid is in the remote BUNDLE group, but is not
 * its first (tagged) mid, is not added.
 */
export function bundledAway(remoteSdp: string | undefined, mid: string | null | undefined): boolean {
  if (mid === null || mid === undefined) return false;
  const group = /^a=group:BUNDLE (.+)$/m
    .exec(remoteSdp ?? "")?.[1]
    ?.trim()
    .split(/\s+/);
  if (!group || group.length < 2) return false;
  return group.includes(mid) && group[0] !== mid;
}
