// The sender budgets: the table keeps every page within a home uplink, and
// docs/protocol.md shows exactly the table the code uses.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SENDER_POLICY_TABLE, VIDEO_UPLOAD_BUDGET_KBPS, senderPolicy } from "../../site/src/peer/sender-policy";

describe("sender budgets", () => {
  it("keeps the summed video upload at or below 2,500 kbit/s for every room size up to 50", () => {
    for (let remotes = 1; remotes <= 49; remotes++) {
      const { camera, screen } = senderPolicy(remotes);
      expect(camera.maxBitrateKbps * remotes, `camera, ${remotes} remote peers`).toBeLessThanOrEqual(
        VIDEO_UPLOAD_BUDGET_KBPS,
      );
      expect(screen.maxBitrateKbps * remotes, `screen, ${remotes} remote peers`).toBeLessThanOrEqual(
        VIDEO_UPLOAD_BUDGET_KBPS,
      );
    }
    expect(VIDEO_UPLOAD_BUDGET_KBPS).toBe(2_500);
  });

  it("lets a two-person call use at least 1,500 kbit/s, and gives a screen share more than a camera", () => {
    expect(senderPolicy(1).camera.maxBitrateKbps).toBeGreaterThanOrEqual(1_500);
    for (let remotes = 1; remotes <= 49; remotes++) {
      const { camera, screen } = senderPolicy(remotes);
      expect(screen.maxBitrateKbps).toBeGreaterThan(camera.maxBitrateKbps);
      expect(screen.scaleResolutionDownBy).toBe(1);
      expect(camera.scaleResolutionDownBy).toBeGreaterThanOrEqual(1);
    }
  });

  it("never gives a larger room more per peer than a smaller one", () => {
    for (let remotes = 2; remotes <= 49; remotes++) {
      const [smaller, larger] = [senderPolicy(remotes - 1), senderPolicy(remotes)];
      expect(larger.camera.maxBitrateKbps).toBeLessThanOrEqual(smaller.camera.maxBitrateKbps);
      expect(larger.camera.scaleResolutionDownBy).toBeGreaterThanOrEqual(smaller.camera.scaleResolutionDownBy);
    }
  });

  it("is the table docs/protocol.md shows", () => {
    const doc = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");
    const section = doc.slice(doc.indexOf("### Sender budgets"));
    const rows = [
      ...section.matchAll(/^\| (\d+) +\| ([\d,]+) +\| ([\d.]+) +\| ([\d,]+) +\| ([\d,]+) +\| ([\d,]+) +\|$/gm),
    ];
    const number = (text: string) => Number(text.replaceAll(",", ""));
    const documented = rows.map((row) => ({
      remotes: Number(row[1]),
      camera: { maxBitrateKbps: number(row[2]!), scaleResolutionDownBy: Number(row[3]) },
      cameraSum: number(row[4]!),
      screen: { maxBitrateKbps: number(row[5]!), scaleResolutionDownBy: 1 },
      screenSum: number(row[6]!),
    }));
    expect(documented).toEqual(
      SENDER_POLICY_TABLE.map((row, i) => ({
        remotes: i + 1,
        camera: row.camera,
        cameraSum: row.camera.maxBitrateKbps * (i + 1),
        screen: row.screen,
        screenSum: row.screen.maxBitrateKbps * (i + 1),
      })),
    );
  });
});
