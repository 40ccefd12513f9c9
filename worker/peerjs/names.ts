// Where a PeerJS id lives: one object per key and id, and (with discovery)
// one directory per key. The name joins key and id with "/", which neither
// may contain, so no two pairs share an object.
import type { PeerJsDirectory } from "./directory";
import type { PeerJsPeer } from "./peer";

export type PeerStub = DurableObjectStub<PeerJsPeer>;

export function peerStub(env: Env, key: string, id: string): PeerStub {
  return env.PEERJS_PEERS.get(env.PEERJS_PEERS.idFromName(`${key}/${id}`));
}

export function directoryStub(env: Env, key: string): DurableObjectStub<PeerJsDirectory> {
  return env.PEERJS_DIRECTORY.get(env.PEERJS_DIRECTORY.idFromName(key));
}
