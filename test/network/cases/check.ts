// The connection check on the pre-join screen, against what the lab knows to
// be true of each kind of home. The calls between homes (./nat.ts) run it
// on both pages before they join, so that what the check says and what the
// call then does are seen together; the one home whose truth no call shows
// (TURN out of reach) is checked beside the call that cannot connect.
import { expect } from "vitest";
import { waitUntil, type Evaluator } from "../../browser/support/evaluator.ts";
import { clickButton, type Engine } from "../../browser/support/peer-page.ts";
import { INTERNET } from "../lab/plan.ts";
import type { LabSession } from "../support/suite.ts";

export interface CheckTruth {
  /** The verdict, which comes first. */
  verdict: RegExp;
  /** Lines the details must hold. */
  details: string[];
}

/** What the check must say in each kind of home. */
export const TRUTH = {
  cone: {
    verdict: /^Direct calls will work from this network/,
    details: ["reaches the STUN server", "one outside port", "A TURN relay was allocated, over UDP and TCP."],
  },
  symmetric: {
    verdict: /^Calls from this network will mostly be relayed through the TURN server: its NAT is strict/,
    details: ["symmetric NAT", "A TURN relay was allocated, over UDP and TCP."],
  },
  "no UDP": {
    verdict: /^This network blocks UDP: calls will be relayed over TCP/,
    details: ["blocks UDP", "A TURN relay was allocated, over TCP."],
  },
  "TURN out of reach": {
    verdict: /^Relayed calls are impossible from here \(the TURN server could not be reached\): direct calls will work/,
    details: ["Relaying fails: the TURN server could not be reached."],
  },
  "symmetric, no TURN on the server": {
    verdict:
      /^Calls to people behind other NATs will fail: this network's NAT is strict \(symmetric\), and this deployment has no TURN server/,
    details: ["symmetric NAT", "This deployment has no TURN server."],
  },
} satisfies Record<string, CheckTruth>;

/** Runs the check from the pre-join screen and closes it; what it said, verdict first. */
export async function connectionCheck(page: Evaluator): Promise<string> {
  await clickButton(page, "Check connection");
  await waitUntil(page, () => document.querySelector("dialog[open] .check-verdict") !== null, undefined, {
    timeoutMs: 20_000,
    what: "the connection check's verdict",
  });
  return page.evaluate(() => {
    const box = document.querySelector<HTMLDialogElement>("dialog[open]")!;
    const said = box.querySelector(".check-result")?.textContent ?? "";
    box.close();
    return said;
  }, undefined);
}

/** Runs the check and expects the truth of `kind` from it. */
export async function expectCheckTells(page: Evaluator, kind: keyof typeof TRUTH, label: string): Promise<void> {
  const said = await connectionCheck(page);
  console.log(`[check] ${label}, ${kind}: ${said}`);
  const truth: CheckTruth = TRUTH[kind];
  expect(said, `${label} in a ${kind} home`).toMatch(truth.verdict);
  for (const line of truth.details) expect(said, `${label} in a ${kind} home`).toContain(line);
}

/** The check in a cone home from which the TURN server is out of reach (its STUN on the other address stays in reach), in both engines. */
export async function checkWithoutTurn(session: LabSession): Promise<void> {
  await session.lab.block("cone2", INTERNET.turn);
  await Promise.all(
    (["chromium", "firefox"] as Engine[]).map(async (engine) => {
      const page = await session.open("cone2", engine, `check-${crypto.randomUUID().slice(0, 8)}`);
      await expectCheckTells(page, "TURN out of reach", engine);
    }),
  );
}
