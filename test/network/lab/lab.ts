// The network lab: an "internet", home routers of each kind and the hosts
// behind them, built from network namespaces and veth links (see ./plan.ts
// for the map). Nothing is linked to the machine's own network. Everything
// it makes carries this process's pid in its name, so a later run removes
// what a killed one left behind; `destroy()` (also run from an exit
// handler) removes every namespace, and with them every link and process.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import {
  HOSTS,
  HOME_RANGE,
  INTERNET,
  LAN_PREFIX,
  RENUMBERED_WAN,
  ROUTERS,
  hostAddress,
  lanGateway,
  type HostName,
  type RouterName,
} from "./plan.ts";
import { egressGuard, routerRules } from "./rules.ts";
import { alive, run, runSync, shIn } from "./run.ts";

const PREFIX = "tincanlab-";

export interface Impairment {
  /** Added to each packet, each way, ms. */
  delayMs?: number;
  /** Dropped at random, each way (0–1). */
  loss?: number;
  /** The link's rate each way, kbit/s. */
  rateKbit?: number;
}

export interface LabProcess {
  child: ChildProcess;
  /** What it printed (the last 20 kB), for failure messages. */
  output(): string;
  exited: Promise<void>;
}

/** The namespaces of earlier runs whose process is gone: a killed run's leftovers. */
async function staleNamespaces(): Promise<string[]> {
  const listed = await run("ip", ["netns", "list"]);
  return listed
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => {
      const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
      return pid !== undefined && !alive(Number(pid));
    });
}

/** Ends every process in the namespaces, then deletes them (synchronously, for exit handlers too). */
function removeNamespacesSync(names: string[]): void {
  for (const signal of ["TERM", "KILL"]) {
    let any = false;
    for (const ns of names) {
      for (const pid of runSync("ip", ["netns", "pids", ns]).split(/\s+/).filter(Boolean)) {
        any = true;
        try {
          process.kill(Number(pid), `SIG${signal}` as NodeJS.Signals);
        } catch {
          // Gone already.
        }
      }
    }
    if (!any) break;
    if (signal === "TERM") {
      // Give them a moment to exit on their own (a browser flushes its profile).
      const until = Date.now() + 1_500;
      while (Date.now() < until && names.some((ns) => runSync("ip", ["netns", "pids", ns]).trim() !== "")) {
        runSync("sleep", ["0.1"]);
      }
    }
  }
  // A process left in a deleted namespace would live on: kill first, delete after.
  for (const ns of names) runSync("ip", ["netns", "del", ns]);
}

export class Lab {
  /** The prefix of every namespace: `tincanlab-<pid of the process that built it>`. */
  readonly id: string;
  /** Which uplink each host uses now (an index into its plan's uplinks). */
  readonly #uplink = new Map<HostName, number>();
  /** Each router's outside address now. */
  readonly #wan = new Map<RouterName, string>();
  readonly #impaired = new Set<RouterName>();
  readonly #onExit = () => this.#removeAllSync();
  /** Only the process that built the lab removes it. */
  readonly #owner: boolean;
  #destroyed = false;

  private constructor(id: string, owner: boolean) {
    this.id = id;
    this.#owner = owner;
  }

  /** The namespace of the internet, a router or a host. */
  ns(kind: "internet"): string;
  ns(kind: "router", name: RouterName): string;
  ns(kind: "host", name: HostName): string;
  ns(kind: "internet" | "router" | "host", name?: string): string {
    return kind === "internet" ? `${this.id}-inet` : `${this.id}-${kind === "router" ? "r" : "h"}-${name}`;
  }

  get namespaces(): string[] {
    return [
      this.ns("internet"),
      ...Object.keys(ROUTERS).map((r) => this.ns("router", r as RouterName)),
      ...Object.keys(HOSTS).map((h) => this.ns("host", h as HostName)),
    ];
  }

  /** Builds the whole lab; removes what an earlier, killed run left. */
  static async create(): Promise<Lab> {
    const stale = await staleNamespaces();
    if (stale.length > 0) removeNamespacesSync(stale);
    const lab = new Lab(`${PREFIX}${process.pid}`, true);
    process.once("exit", lab.#onExit);
    try {
      await lab.#build();
    } catch (error) {
      await lab.destroy();
      throw error;
    }
    return lab;
  }

  /**
   * A handle on a lab another process built (the test runner's global
   * set-up builds it; each test file drives it). Everything starts as
   * planned: a file that moves an uplink or impairs a link puts it back.
   * Only the builder removes the lab.
   */
  static attach(id: string): Lab {
    if (!id.startsWith(PREFIX)) throw new Error(`not a lab: ${id}`);
    const lab = new Lab(id, false);
    for (const host of Object.keys(HOSTS) as HostName[]) lab.#uplink.set(host, 0);
    return lab;
  }

  async #build(): Promise<void> {
    for (const ns of this.namespaces) await run("ip", ["netns", "add", ns]);
    const inet = this.ns("internet");
    // Every link made straight into its two namespaces: nothing touches the machine's own.
    const links = [`link add nowhere netns ${inet} type veth peer name nowhere-end netns ${inet}`];
    for (const router of Object.keys(ROUTERS) as RouterName[]) {
      links.push(`link add wan netns ${this.ns("router", router)} type veth peer name r-${router} netns ${inet}`);
    }
    for (const [host, plan] of Object.entries(HOSTS) as [HostName, (typeof HOSTS)[HostName]][]) {
      plan.uplinks.forEach((router, i) => {
        links.push(
          `link add eth${i} netns ${this.ns("host", host)} type veth peer name h-${host} netns ${this.ns("router", router)}`,
        );
      });
    }
    await run("ip", ["-batch", "-"], links.join("\n") + "\n");
    await Promise.all([
      this.#buildInternet(),
      ...(Object.keys(ROUTERS) as RouterName[]).map((r) => this.#buildRouter(r)),
      ...(Object.keys(HOSTS) as HostName[]).map((h) => this.#buildHost(h)),
    ]);
  }

  /** IPv6 off everywhere: the lab is IPv4 only, and no address may appear that the plan does not list. */
  static #base =
    "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1\nip link set lo up\n";

  async #buildInternet(): Promise<void> {
    const { nowhere } = INTERNET;
    const ports = Object.keys(ROUTERS).map((r) => `ip link set r-${r} master br0 up`);
    await shIn(
      this.ns("internet"),
      `${Lab.#base}
ip link add br0 type bridge
ip link set br0 up
ip addr add ${INTERNET.tincan}/${INTERNET.prefix} dev br0
ip addr add ${INTERNET.turn}/${INTERNET.prefix} dev br0
ip addr add ${INTERNET.stun2}/${INTERNET.prefix} dev br0
ip addr add ${INTERNET.gateway}/${INTERNET.prefix} dev br0
sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.br0.send_redirects=0
${ports.join("\n")}
ip addr add ${nowhere.address}/${nowhere.prefix} dev nowhere
ip link set nowhere up
ip link set nowhere-end up
ip neigh add ${nowhere.neighbour} lladdr ${nowhere.mac} dev nowhere nud permanent
ip route add ${HOME_RANGE} via ${nowhere.neighbour}`,
    );
  }

  async #buildRouter(router: RouterName): Promise<void> {
    const plan = ROUTERS[router];
    const ports = (Object.entries(HOSTS) as [HostName, (typeof HOSTS)[HostName]][])
      .filter(([, host]) => host.uplinks.includes(router))
      .map(([host]) => `ip link set h-${host} master lan up`);
    this.#wan.set(router, plan.wan);
    await shIn(
      this.ns("router", router),
      `${Lab.#base}
sysctl -qw net.ipv4.ip_forward=1
ip addr add ${plan.wan}/${INTERNET.prefix} dev wan
ip link set wan up
ip route add default via ${INTERNET.gateway}
ip link add lan type bridge
ip addr add ${lanGateway(router)}/${LAN_PREFIX} dev lan
ip link set lan up
${ports.join("\n")}
iptables-restore <<'EOF'
${routerRules(plan.kind)}EOF`,
    );
  }

  async #buildHost(host: HostName): Promise<void> {
    this.#uplink.set(host, 0);
    await shIn(
      this.ns("host", host),
      `${Lab.#base}
${this.#uplinkUp(host, 0)}
iptables-restore <<'EOF'
${egressGuard()}EOF`,
    );
  }

  /** Shell lines that bring a host's uplink `index` up, with its address and the default route. */
  #uplinkUp(host: HostName, index: number): string {
    const router = HOSTS[host].uplinks[index]!;
    return [
      `ip addr add ${hostAddress(host, router)}/${LAN_PREFIX} dev eth${index}`,
      `ip link set eth${index} up`,
      `ip route add default via ${lanGateway(router)} dev eth${index}`,
    ].join("\n");
  }

  /** The router a host goes out through now. */
  uplinkOf(host: HostName): RouterName {
    return HOSTS[host].uplinks[this.#uplink.get(host) ?? 0]!;
  }

  /** A host's address now. */
  addressOf(host: HostName): string {
    return hostAddress(host, this.uplinkOf(host));
  }

  /** A router's outside address now. */
  wanOf(router: RouterName): string {
    return this.#wan.get(router) ?? ROUTERS[router].wan;
  }

  /**
   * The host's uplink moves to its next router, as a phone leaves Wi-Fi for
   * mobile data: the old link goes down and loses its address, the new one
   * comes up with another address behind another router.
   */
  async switchUplink(host: HostName, to?: number): Promise<RouterName> {
    const uplinks = HOSTS[host].uplinks;
    const from = this.#uplink.get(host) ?? 0;
    const next = to ?? (from + 1) % uplinks.length;
    if (next === from) return uplinks[from]!;
    await shIn(
      this.ns("host", host),
      `ip link set eth${from} down
ip addr flush dev eth${from}
${this.#uplinkUp(host, next)}`,
    );
    this.#uplink.set(host, next);
    return uplinks[next]!;
  }

  /**
   * The router's outside address changes (an ISP renumbering it): every
   * mapping through it is gone, as on a real router after a new lease.
   */
  async renumber(router: RouterName, to?: string): Promise<string> {
    const from = this.wanOf(router);
    const next = to ?? (from === ROUTERS[router].wan ? RENUMBERED_WAN[router] : ROUTERS[router].wan);
    if (!next) throw new Error(`${router} has no second outside address in the plan`);
    await shIn(
      this.ns("router", router),
      // The new address first, promoted when the old one goes (else the kernel
      // deletes it with the old primary), then every mapping forgotten.
      `sysctl -qw net.ipv4.conf.wan.promote_secondaries=1
ip addr add ${next}/${INTERNET.prefix} dev wan
ip addr del ${from}/${INTERNET.prefix} dev wan
ip route replace default via ${INTERNET.gateway}
conntrack -F 2>/dev/null || true`,
    );
    this.#wan.set(router, next);
    return next;
  }

  /** Starts a long-running process inside a namespace; it ends with the lab at the latest. */
  spawnIn(ns: string, command: string, args: string[], options: SpawnOptions = {}): LabProcess {
    const child = spawn("ip", ["netns", "exec", ns, command, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      ...options,
    });
    let log = "";
    const collect = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once("exit", () => resolve());
    });
    return { child, output: () => log, exited };
  }

  /**
   * Impairs a router's internet link both ways, replacing any earlier
   * impairment of it: random loss (iptables `statistic`), a fixed delay (the
   * lab's NFQUEUE program, `delayTool`) and a rate (`tbf`).
   */
  async impair(router: RouterName, impairment: Impairment, delayTool: string): Promise<void> {
    await this.clearImpairment(router);
    const ns = this.ns("router", router);
    this.#impaired.add(router);
    const lines: string[] = [];
    if (impairment.loss) {
      const p = impairment.loss.toFixed(4);
      lines.push(
        `iptables -t mangle -A PREROUTING -i wan -m statistic --mode random --probability ${p} -j DROP`,
        `iptables -t mangle -A POSTROUTING -o wan -m statistic --mode random --probability ${p} -j DROP`,
      );
    }
    if (impairment.delayMs) {
      // The program must hold the queue before any rule sends packets to it:
      // a packet queued to nobody is dropped.
      const tool = this.spawnIn(ns, delayTool, ["--queue", "7", "--delay-ms", String(impairment.delayMs)]);
      const deadline = Date.now() + 5_000;
      while (!tool.output().includes("ready")) {
        if (tool.child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`the delay tool did not start in ${router}: ${tool.output()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Queued before connection tracking sees them (the raw table): a new
      // flow's later packets must not arrive at NAT while its first one is
      // still held, or they clash with it and are dropped. Outgoing is what
      // comes in from the LAN for anywhere but the LAN.
      const lan = `${lanGateway(router)}/${LAN_PREFIX}`;
      lines.push(
        "iptables -t raw -A PREROUTING -i wan -j NFQUEUE --queue-num 7",
        `iptables -t raw -A PREROUTING -i lan ! -d ${lan} -j NFQUEUE --queue-num 7`,
      );
    }
    if (impairment.rateKbit) {
      // A token bucket each way: uploads leave by `wan`, downloads by each host's port.
      const tbf = (dev: string) =>
        `tc qdisc replace dev ${dev} root tbf rate ${impairment.rateKbit}kbit burst 8kb latency 200ms`;
      lines.push(tbf("wan"), `for port in $(ls /sys/class/net | grep '^h-'); do ${tbf("$port")}; done`);
    }
    await shIn(ns, lines.join("\n"));
  }

  /** Removes a router's impairment (whether or not this handle made it). */
  async clearImpairment(router: RouterName): Promise<void> {
    this.#impaired.delete(router);
    const ns = this.ns("router", router);
    await shIn(
      ns,
      `iptables -t mangle -F
iptables -t raw -F
for dev in $(ls /sys/class/net | grep -E '^(wan|h-)'); do tc qdisc del dev $dev root 2>/dev/null || true; done`,
    );
    // The delay program (if any) is the only process a router runs.
    for (const pid of (await run("ip", ["netns", "pids", ns])).split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGTERM");
      } catch {
        // Gone.
      }
    }
  }

  /** The host can no longer reach `address` at all (its packets vanish): a server out of reach from one network. */
  async block(host: HostName, address: string): Promise<void> {
    await shIn(this.ns("host", host), `iptables -I OUTPUT 1 -d ${address} -j DROP`);
  }

  /**
   * Everything back as planned: every host on its first uplink, every router
   * at its planned address, no impairment, no block. A test file starts and
   * ends with this, so one file's failure never becomes the next one's.
   */
  async reset(): Promise<void> {
    const hosts = (Object.entries(HOSTS) as [HostName, (typeof HOSTS)[HostName]][]).map(([host, plan]) => {
      const downs = plan.uplinks.map((_, i) => `ip link set eth${i} down\nip addr flush dev eth${i}`).join("\n");
      this.#uplink.set(host, 0);
      return shIn(
        this.ns("host", host),
        `${plan.uplinks.length > 1 ? `${downs}\n${this.#uplinkUp(host, 0)}\n` : ""}iptables-restore <<'EOF'
${egressGuard()}EOF`,
      );
    });
    const routers = (Object.keys(ROUTERS) as RouterName[]).map(async (router) => {
      await this.clearImpairment(router);
      if (!RENUMBERED_WAN[router]) return;
      this.#wan.set(router, ROUTERS[router].wan);
      await shIn(
        this.ns("router", router),
        `ip addr flush dev wan
ip addr add ${ROUTERS[router].wan}/${INTERNET.prefix} dev wan
ip route replace default via ${INTERNET.gateway}
conntrack -F 2>/dev/null || true`,
      );
    });
    await Promise.all([...hosts, ...routers]);
  }

  /** Removes every namespace (and with them every link and process of the lab). */
  async destroy(): Promise<void> {
    this.#removeAllSync();
  }

  #removeAllSync(): void {
    if (!this.#owner || this.#destroyed) return;
    this.#destroyed = true;
    process.off("exit", this.#onExit);
    const mine = runSync("ip", ["netns", "list"])
      .split("\n")
      .map((line) => line.split(" ")[0] ?? "")
      .filter((name) => name.startsWith(`${this.id}-`));
    removeNamespacesSync(mine);
  }
}
