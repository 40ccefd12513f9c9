// The iptables rules of the lab, as iptables-restore input: what makes a
// router a cone, a symmetric NAT or a UDP-blocking firewall, and the guard
// that keeps every home from reaching anything outside the lab. Facts
// behind each rule: ../../../../shared/netlab-recipe.md (traps 1 and 2).
import { DOC_RANGES, type NatKind } from "./plan.ts";

function table(name: string, chains: string[], rules: string[]): string {
  return [`*${name}`, ...chains.map((c) => `:${c} ACCEPT [0:0]`), ...rules, "COMMIT", ""].join("\n");
}

/** A home router's NAT and filter, by kind; `wan` faces the internet, `lan` is its LAN bridge. */
export function routerRules(kind: NatKind): string {
  // --random-fully: a fresh random outside port for every new 5-tuple, which
  // is what address-and-port-dependent mapping ("symmetric") looks like.
  const masquerade = `-A POSTROUTING -o wan -j MASQUERADE${kind === "symmetric" ? " --random-fully" : ""}`;
  const nat = table("nat", ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"], [masquerade]);
  const filter = table(
    "filter",
    ["INPUT", "FORWARD", "OUTPUT"],
    [
      // An office firewall: no UDP out or in, TCP as usual.
      ...(kind === "no-udp"
        ? ["-A FORWARD -i lan -o wan -p udp -j DROP", "-A FORWARD -i wan -o lan -p udp -j DROP"]
        : []),
      // Inbound only for what went out. Keep `-o wan`/`-i wan` on every forward
      // rule: br_netfilter sends LAN-to-LAN frames through FORWARD too.
      "-A FORWARD -i wan -o lan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
      "-A FORWARD -i wan -o lan -j DROP",
      // Silence, not ICMP, for anything unasked at the router itself: a port
      // unreachable answer to an early hole-punch packet pins a conntrack entry
      // that makes the next outgoing packet take another port (a cone stops
      // being one).
      "-A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
      "-A INPUT -i wan -j DROP",
    ],
  );
  return nat + filter;
}

/** A home host's guard: loopback, the lab's ranges and mDNS go out; everything else is refused at once. */
export function egressGuard(): string {
  return table(
    "filter",
    ["INPUT", "FORWARD", "OUTPUT"],
    [
      "-A OUTPUT -o lo -j ACCEPT",
      ...DOC_RANGES.map((range) => `-A OUTPUT -d ${range} -j ACCEPT`),
      "-A OUTPUT -d 224.0.0.251/32 -p udp --dport 5353 -j ACCEPT",
      "-A OUTPUT -j REJECT",
    ],
  );
}
