// Builds the network lab once for the whole network suite: the namespaces,
// the delay tool, coturn and both Tincans on the lab's internet. Test files
// attach to it by name (./suite.ts). On a machine that cannot run it, one
// line says why and the suite is skipped (in CI it fails instead).
import type { TestProject } from "vitest/node";
import { buildDelayTool } from "../lab/delay-tool.ts";
import { Lab } from "../lab/lab.ts";
import { startLabServers, type LabServers } from "../lab/servers.ts";
import type { NetlabInfo } from "./suite.ts";
import { missingForLab } from "./tools.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = missingForLab();
  if (missing.length > 0) {
    if (process.env["CI"] !== "true") console.log(`network lab skipped: it needs ${missing.join(", ")}`);
    project.provide("netlab", { missing });
    return async () => {};
  }
  const started = Date.now();
  const delayTool = await buildDelayTool();
  const lab = await Lab.create();
  let servers: LabServers;
  try {
    servers = await startLabServers(lab);
  } catch (error) {
    await lab.destroy();
    throw error;
  }
  const info: NetlabInfo = {
    missing: [],
    id: lab.id,
    delayTool,
    tincan: servers.tincan.url,
    stunOnly: servers.stunOnly.url,
  };
  project.provide("netlab", info);
  console.log(
    `network lab up in ${((Date.now() - started) / 1000).toFixed(1)} s (${lab.namespaces.length} namespaces)`,
  );
  return async () => {
    await servers.stop();
    await lab.destroy();
  };
}
