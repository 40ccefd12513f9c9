// The room's WebCrypto credential against an independent computation with
// Node's own crypto module.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { turnCredential } from "../../worker/turn/shared-secret";

describe("shared-secret TURN credential", () => {
  it("equals base64(HMAC-SHA1(secret, username)) computed by node:crypto", async () => {
    for (const [secret, username] of [
      ["s3cr3t", "1893456000:Hc4tR8nJ0sQe6uVa"],
      ["a much longer secret than the sixty-four byte block size of SHA-1, to test key hashing", "1:x"],
      ["ünïcødé", "1700000000:peer_-1"],
    ] as const) {
      const expected = createHmac("sha1", secret).update(username).digest("base64");
      expect(await turnCredential(secret, username)).toBe(expected);
    }
  });
});
