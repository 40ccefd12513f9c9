// The TURN REST API scheme (draft-uberti-behave-turn-rest) that coturn
// implements with use-auth-secret: no per-user state on the TURN server,
// just a username that carries its own expiry and an HMAC of it.
import type { IceServer } from "../../protocol";
import type { IceGrant } from "./grant";

const encoder = new TextEncoder();

function base64(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** base64(HMAC-SHA1(secret, username)), with WebCrypto. */
export async function turnCredential(secret: string, username: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-1" }, false, [
    "sign",
  ]);
  return base64(await crypto.subtle.sign("HMAC", key, encoder.encode(username)));
}

export interface SharedSecretRequest {
  secret: string;
  turnUrls: string[];
  stunUrls: string[];
  ttlSeconds: number;
  peerId: string;
  /** ms since epoch. */
  now: number;
}

export async function mintSharedSecret(request: SharedSecretRequest): Promise<IceGrant> {
  const expirySeconds = Math.floor(request.now / 1000) + request.ttlSeconds;
  const username = `${expirySeconds}:${request.peerId}`;
  const iceServers: IceServer[] = [
    { urls: request.stunUrls },
    { urls: request.turnUrls, username, credential: await turnCredential(request.secret, username) },
  ];
  return { iceServers, expiresAt: expirySeconds * 1000 };
}
