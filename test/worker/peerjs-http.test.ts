// The PeerJS endpoint's HTTP side and its socket refusals, with the default
// configuration (path /peerjs, key peerjs, discovery off), through the real
// Worker. The frames between sockets are in test/worker-peerjs.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PEERJS_DESCRIPTION, PeerJsError } from "../../protocol/peerjs";
import { PeerJsClient, uniqueId } from "../worker-peerjs/peerjs-client";
import { clearOfWindowEdge, fakeClientAddress } from "./peers";

const BASE = "http://tincan.test/peerjs";

function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: { "CF-Connecting-IP": fakeClientAddress(), ...headers },
  });
}

/** The one ERROR frame a refused socket gets, and its close. */
async function refusal(client: PeerJsClient): Promise<{ msg: string; code: number }> {
  const frame = await client.next();
  if (frame.type !== "ERROR") throw new Error(`expected ERROR, got ${JSON.stringify(frame)}`);
  const { code } = await client.waitClosed();
  return { msg: frame.payload.msg, code };
}

describe("PeerJS HTTP", () => {
  it("describes itself at the path, as peerjs-server does", async () => {
    for (const path of ["", "/"]) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(PEERJS_DESCRIPTION);
    }
  });

  it("hands out a fresh random id as plain text", async () => {
    const first = await get("/peerjs/id?ts=123");
    const second = await get("/peerjs/id");
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(first.headers.get("Cache-Control")).toBe("no-store");
    const [a, b] = [await first.text(), await second.text()];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
  });

  it("refuses the list of peers without discovery, with the reference's bare 401", async () => {
    const response = await get("/peerjs/peers");
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("Unauthorized");
  });

  it("answers nothing under another key, and 404 for unknown paths", async () => {
    for (const path of ["/other/id", "/other/peers", "/peerjs/nope", "/a/b/c"]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toMatchObject({ error: "not-found" });
    }
  });

  it("gives CORS headers to allowed pages only", async () => {
    const allowed = await get("/peerjs/id", { Origin: "http://localhost:5173" });
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:5173");
    const elsewhere = await get("/peerjs/id", { Origin: "https://evil.example" });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const preflight = await get(
      "/peerjs/id",
      { Origin: "http://127.0.0.1:8080", "Access-Control-Request-Method": "GET" },
      "OPTIONS",
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("http://127.0.0.1:8080");
  });

  it("mints ICE servers for a Peer's config, guarded as a join is", { timeout: 20_000 }, async () => {
    const response = await get("/peerjs/ice-servers", { Origin: "http://localhost:3000" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:3000");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({
      iceServers: [{ urls: ["stun:stun.cloudflare.com:3478"] }],
      iceServersExpireAt: null,
    });

    const forbidden = await get("/peerjs/ice-servers", { Origin: "https://evil.example" });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: "forbidden-origin" });

    // The join budget (30 a minute per address in wrangler.toml) runs out.
    await clearOfWindowEdge();
    const address = fakeClientAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await get("/peerjs/ice-servers", { "CF-Connecting-IP": address })).status);
    expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it("answers a socket request without an upgrade with 426", async () => {
    const response = await get("/peerjs?key=peerjs&id=a&token=b");
    expect(response.status).toBe(426);
  });
});

describe("PeerJS socket refusals", () => {
  it("refuses a socket without id, token or key with the reference's ERROR and a close", async () => {
    const full = { key: "peerjs", id: uniqueId(), token: "t0k3n" };
    for (const missing of ["key", "id", "token"] as const) {
      const { [missing]: _dropped, ...query } = full;
      const client = await PeerJsClient.raw(query);
      expect(await refusal(client), missing).toEqual({ msg: PeerJsError.missingParameters, code: 1000 });
    }
  });

  it("refuses a wrong key", async () => {
    const client = await PeerJsClient.raw({ key: "nope", id: uniqueId(), token: "t0k3n" });
    expect(await refusal(client)).toEqual({ msg: PeerJsError.invalidKey, code: 1000 });
  });

  it("refuses ids and tokens the client itself would never send", async () => {
    const bad = [
      { id: "has/slash", token: "t" },
      { id: " leading", token: "t" },
      { id: "x".repeat(129), token: "t" },
      { id: uniqueId(), token: "no spaces" },
      { id: uniqueId(), token: "t".repeat(129) },
    ];
    for (const query of bad) {
      const { msg, code } = await refusal(await PeerJsClient.raw({ key: "peerjs", ...query }));
      expect(msg, JSON.stringify(query)).toMatch(/^Invalid (id|token)/);
      expect(code).toBe(1000);
    }
  });

  it("refuses pages of origins the allowlist does not name", async () => {
    const client = await PeerJsClient.raw(
      { key: "peerjs", id: uniqueId(), token: "t0k3n" },
      { Origin: "https://evil.example" },
    );
    const { msg, code } = await refusal(client);
    expect(msg).toMatch(/origin/);
    expect(code).toBe(1008);
    // Its own origin and the allowlisted ones are let in.
    for (const origin of ["http://tincan.test", "http://localhost:3000"]) {
      const ok = await PeerJsClient.raw({ key: "peerjs", id: uniqueId(), token: "t0k3n" }, { Origin: origin });
      expect(await ok.next()).toEqual({ type: "OPEN" });
      ok.close();
    }
  });

  it("spends the address's join budget on each socket", { timeout: 20_000 }, async () => {
    await clearOfWindowEdge();
    const address = fakeClientAddress();
    const frames: string[] = [];
    for (let i = 0; i < 31; i++) {
      const client = await PeerJsClient.raw(
        { key: "peerjs", id: uniqueId(), token: "t0k3n" },
        { "CF-Connecting-IP": address },
      );
      const frame = await client.next();
      frames.push(frame.type);
      client.close();
    }
    expect(frames.slice(0, 30).every((type) => type === "OPEN")).toBe(true);
    expect(frames[30]).toBe("ERROR");
  });
});
