import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { TestPeer, uniqueRoom } from "./peers";

function get(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(`http://tincan.test${path}`, init);
}

async function expectApiError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(await response.json()).toEqual({ error: code, message: expect.any(String) });
}

describe("GET /api/health", () => {
  it("says ok with the version and that no TURN provider is configured", async () => {
    const response = await get("/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      turn: "none",
    });
  });
});

describe("GET /api/rooms/{room}", () => {
  it("reports an empty room", async () => {
    const room = uniqueRoom();
    expect(await (await get(`/api/rooms/${room}`)).json()).toEqual({ room, peers: 0, capacity: 8, locked: false });
  });

  it("counts the peers in the room under its canonical lower-case name", async () => {
    const room = uniqueRoom("MiXeD");
    await TestPeer.join(room, "A");
    await TestPeer.join(room, "B");
    expect(await (await get(`/api/rooms/${room.toUpperCase()}`)).json()).toEqual({
      room: room.toLowerCase(),
      peers: 2,
      capacity: 8,
      locked: false,
    });
  });

  it.each([
    ["a dot", "bad.name"],
    ["a space", "bad%20name"],
    ["an encoded slash", "a%2Fb"],
    ["65 characters", "x".repeat(65)],
    ["non-ASCII letters", "caf%C3%A9"],
    ["the reserved name api", "api"],
    ["the reserved name in capitals", "API"],
    ["the PeerJS endpoint's name", "PeerJS"],
  ])("rejects a room name with %s as bad-room", async (_, name) => {
    await expectApiError(await get(`/api/rooms/${name}`), 400, "bad-room");
    await expectApiError(await get(`/api/rooms/${name}/ws`, { headers: { Upgrade: "websocket" } }), 400, "bad-room");
  });

  it("accepts the longest and shortest room names", async () => {
    expect((await get(`/api/rooms/${"a".repeat(64)}`)).status).toBe(200);
    expect((await get(`/api/rooms/_`)).status).toBe(200);
  });
});

describe("GET /api/rooms/{room}/ws", () => {
  it("needs a WebSocket upgrade", async () => {
    await expectApiError(await get(`/api/rooms/${uniqueRoom()}/ws`), 426, "upgrade-required");
  });

  it("upgrades and hands the socket to the room", async () => {
    const response = await get(`/api/rooms/${uniqueRoom()}/ws?name=Zed`, { headers: { Upgrade: "websocket" } });
    expect(response.status).toBe(101);
    expect(response.webSocket).toBeTruthy();
    response.webSocket?.accept();
    response.webSocket?.close(1000, "done");
  });
});

describe("unknown API paths", () => {
  it.each(["/api", "/api/", "/api/nope", "/api/rooms", "/api/rooms/x/ws/extra", "/api/health/more"])(
    "%s is 404 not-found",
    async (path) => {
      await expectApiError(await get(path), 404, "not-found");
    },
  );

  it("is 404 for other methods too", async () => {
    await expectApiError(await get("/api/rooms/x", { method: "DELETE" }), 404, "not-found");
  });
});

describe("the site", () => {
  it("serves the app at / and at room links", async () => {
    for (const path of ["/", `/${uniqueRoom()}`]) {
      const response = await get(path, { headers: { Accept: "text/html" } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<main id="app">');
    }
  });
});

describe("who may frame the room page", () => {
  it("lets only the site itself frame its pages by default; the script is not the Worker's to answer", async () => {
    for (const path of ["/", `/${uniqueRoom()}`]) {
      const response = await get(path, { headers: { Accept: "text/html" } });
      expect(response.headers.get("content-security-policy")).toBe("frame-ancestors 'self'");
    }
  });

  it("adds EMBED_ORIGINS to frame-ancestors, and ignores a value that could end the directive", async () => {
    const page = (vars: Record<string, string>) =>
      app.fetch(new Request(`http://tincan.test/${uniqueRoom()}`, { headers: { Accept: "text/html" } }), {
        ...env,
        ...vars,
      });
    const listed = await page({ EMBED_ORIGINS: "https://app.example, http://localhost:*" });
    expect(listed.headers.get("content-security-policy")).toBe(
      "frame-ancestors 'self' https://app.example http://localhost:*",
    );
    expect(await listed.text()).toContain('<main id="app">');
    const injected = await page({ EMBED_ORIGINS: "https://app.example; script-src *" });
    expect(injected.headers.get("content-security-policy")).toBe("frame-ancestors 'self'");
  });

  it("leaves API answers without it", async () => {
    expect((await get("/api/health")).headers.get("content-security-policy")).toBeNull();
  });
});

describe("internal errors", () => {
  it("answers 500 internal without any internal detail", async () => {
    const broken: Env = {
      ...env,
      ROOMS: {
        idFromName() {
          throw new Error("SECRET-INTERNAL-DETAIL at Room.fetch (room.ts:42)");
        },
      } as unknown as Env["ROOMS"],
    };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const response = await app.request("/api/rooms/some-room", {}, broken);
      const body = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(body)).toEqual({ error: "internal", message: expect.any(String) });
      expect(body).not.toContain("SECRET");
      expect(body).not.toContain("room.ts");
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
  });
});
