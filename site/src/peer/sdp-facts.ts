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
