// What the network lab needs of the machine: root (network namespaces),
// iproute2, iptables, conntrack, socat, tc, ping, a C compiler with
// libnetfilter-queue-dev (the delay tool), and the browsers and coturn of
// the browser suite. `.ci/run` installs all of it from Debian.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { missingTools } from "../../browser/support/suite.ts";
import { delayToolMissing } from "../lab/delay-tool.ts";

/** Where root's commands live, whatever PATH the runner was given. */
const SEARCH = [...(process.env["PATH"] ?? "").split(delimiter), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];

function onPath(command: string): boolean {
  return SEARCH.some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const COMMANDS: [command: string, from: string][] = [
  ["ip", "iproute2"],
  ["iptables-restore", "iptables"],
  ["tc", "iproute2"],
  ["conntrack", "conntrack"],
  ["socat", "socat"],
  ["ping", "iputils-ping"],
  ["cc", "gcc"],
];

/** What is missing for the lab here, each with how to install it; empty when it can run. */
export function missingForLab(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("root (network namespaces need it)");
  const packages = COMMANDS.filter(([command]) => !onPath(command)).map(([, from]) => from);
  if (packages.length > 0)
    missing.push(`${[...new Set(packages)].join(", ")} (\`apt-get install -y ${[...new Set(packages)].join(" ")}\`)`);
  const header = delayToolMissing();
  if (header) missing.push(header);
  missing.push(...missingTools({ coturn: true, firefox: true }));
  return missing;
}
