// What a network test file needs: the lab the global set-up built (attached
// by name), browsers in its homes (./session.ts), pages closed after each
// test, and the lab put back as planned before and after every test.
import { afterAll, afterEach, beforeAll, describe, inject, it } from "vitest";
import { Lab } from "../lab/lab.ts";
import { labSession, type LabSession } from "./session.ts";

export type { LabSession, Server } from "./session.ts";

export interface NetlabInfo {
  /** What this machine lacks to run the lab; empty when it runs. */
  missing: string[];
  id?: string;
  delayTool?: string;
  /** Tincan with STUN and TURN, at its internet address. */
  tincan?: string;
  /** Tincan with STUN only. */
  stunOnly?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    netlab: NetlabInfo;
  }
}

/** describe() for a network suite: skipped (one line said why) where the lab cannot run, failed in CI. */
export function describeWithLab(name: string, body: () => void): void {
  const { missing } = inject("netlab");
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  if (process.env["CI"] === "true") {
    describe(name, () => {
      it("has what the network lab needs", () => {
        throw new Error(`CI must run the network lab, but this machine lacks ${missing.join(", ")}`);
      });
    });
    return;
  }
  describe.skip(name, body);
}

export function useLab(): LabSession {
  const info = inject("netlab");
  let lab: Lab | undefined;
  const control = labSession(
    () => {
      if (!lab) throw new Error("the lab is attached in beforeAll");
      return lab;
    },
    { delayTool: info.delayTool ?? "", tincan: info.tincan ?? "", stunOnly: info.stunOnly ?? "" },
  );

  beforeAll(async () => {
    lab = Lab.attach(info.id!);
    await lab.reset();
  });
  afterEach(async ({ task }) => {
    // A failure says what each page went through: its errors and console errors, its connections and channels.
    if (task.result?.state === "fail") {
      for (const [i, page] of control.pages().entries()) {
        const states = await page
          .evaluate(
            () => [
              ...window.__tincanPeerConnections.map(
                (pc) =>
                  `${pc.connectionState}/ice ${pc.iceConnectionState}/sig ${pc.signalingState}/sctp ${pc.sctp?.state ?? "none"}`,
              ),
              `channels ${window.__tincanChannels.map((c) => `${c.label} ${c.readyState}`).join(", ")}`,
            ],
            undefined,
          )
          .catch(() => ["(page not readable)"]);
        console.log(`[page ${i + 1}, ${page.engine}] ${states.join("; ")}\n${page.problems.join("\n")}`);
      }
    }
    await control.closePages();
    await lab?.reset();
  });
  afterAll(async () => {
    await control.close();
    await lab?.reset();
  });
  return control.session;
}
