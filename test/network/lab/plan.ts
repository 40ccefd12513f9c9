// The lab's map: which homes, routers and hosts exist, and every address,
// all from the documentation ranges of RFC 5737 (never a private or public
// range, so nothing here can be mistaken for, or reach, a real network).
//
//                          the "internet": 198.51.100.0/24 on one bridge
//    Tincan .1 (wrangler dev)   coturn .2 (STUN, TURN over UDP and TCP) and .3 (STUN)
//    a route for 203.0.113.0/24 that ends in silence, as the real internet drops private ranges
//      |            |            |            |            |            |            |
//   cone1 .11    cone2 .12    sym1 .13     sym2 .14    noudp .15    wifi .16      cell .17
//   (cone)       (cone)      (symmetric)  (symmetric)  (no UDP)     (cone)        (cone)
//      |            |            |            |            |            |            |
//   cone1,        cone2        sym1         sym2         noudp          mobile (eth0: wifi, eth1: cell)
//   cone1-lan
// Each router's LAN is a /28 of 203.0.113.0/24: the router is .1 of it, its hosts .2, .3.

export const DOC_RANGES = ["198.51.100.0/24", "203.0.113.0/24", "192.0.2.0/24"] as const;
export const HOME_RANGE = "203.0.113.0/24";

export const INTERNET = {
  /** wrangler dev (Tincan). */
  tincan: "198.51.100.1",
  /** coturn: STUN and TURN (over UDP and TCP), and the relay address. */
  turn: "198.51.100.2",
  /** coturn's second address, STUN only: two STUN answers show a symmetric NAT. */
  stun2: "198.51.100.3",
  prefix: 24,
  /**
   * The routers' default gateway (the internet's own address, forwarding):
   * what a router sends to another home's LAN address goes there and is
   * dropped in silence, not refused by the router itself.
   */
  gateway: "198.51.100.254",
  /** Where packets for the homes' LANs go to be dropped (trap 3 of the recipe). */
  nowhere: { address: "192.0.2.252", prefix: 30, neighbour: "192.0.2.253", mac: "02:00:00:00:00:fe" },
} as const;

/**
 * How a router maps and filters. Every kind filters as home routers do:
 * inbound only for what went out (address- and port-dependent filtering).
 * - cone: endpoint-independent mapping (one outside port per inside socket);
 * - symmetric: a new random outside port for every destination;
 * - no-udp: a cone for TCP that drops all UDP both ways (an office firewall).
 */
export type NatKind = "cone" | "symmetric" | "no-udp";

export type RouterName = "cone1" | "cone2" | "sym1" | "sym2" | "noudp" | "wifi" | "cell";
export type HostName = "cone1" | "cone1-lan" | "cone2" | "sym1" | "sym2" | "noudp" | "mobile";

export interface RouterPlan {
  kind: NatKind;
  /** The router's outside address on the internet. */
  wan: string;
  /** The index of its LAN: 203.0.113.(16·n)/28. */
  lan: number;
}

export const ROUTERS: Record<RouterName, RouterPlan> = {
  cone1: { kind: "cone", wan: "198.51.100.11", lan: 1 },
  cone2: { kind: "cone", wan: "198.51.100.12", lan: 2 },
  sym1: { kind: "symmetric", wan: "198.51.100.13", lan: 3 },
  sym2: { kind: "symmetric", wan: "198.51.100.14", lan: 4 },
  noudp: { kind: "no-udp", wan: "198.51.100.15", lan: 5 },
  wifi: { kind: "cone", wan: "198.51.100.16", lan: 6 },
  cell: { kind: "cone", wan: "198.51.100.17", lan: 7 },
};

/** The address a router moves to when "its outside address changes". */
export const RENUMBERED_WAN: Partial<Record<RouterName, string>> = { wifi: "198.51.100.116" };

export interface HostPlan {
  /** Its uplinks, in interface order (eth0, eth1, …); the first is up at the start. */
  uplinks: RouterName[];
  /** Its place on each uplink's LAN: .2, .3, … */
  slot: number;
}

export const HOSTS: Record<HostName, HostPlan> = {
  cone1: { uplinks: ["cone1"], slot: 2 },
  "cone1-lan": { uplinks: ["cone1"], slot: 3 },
  cone2: { uplinks: ["cone2"], slot: 2 },
  sym1: { uplinks: ["sym1"], slot: 2 },
  sym2: { uplinks: ["sym2"], slot: 2 },
  noudp: { uplinks: ["noudp"], slot: 2 },
  mobile: { uplinks: ["wifi", "cell"], slot: 2 },
};

/** The router's own address on its LAN, and the prefix. */
export function lanGateway(router: RouterName): string {
  return `203.0.113.${16 * ROUTERS[router].lan + 1}`;
}
export const LAN_PREFIX = 28;

/** A host's address on one of its uplinks' LAN. */
export function hostAddress(host: HostName, router: RouterName): string {
  return `203.0.113.${16 * ROUTERS[router].lan + HOSTS[host].slot}`;
}
