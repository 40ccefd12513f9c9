// The client library (tincan/client) is site/src/{net,peer,call,client}: it
// must stay usable by any app, so it may not reach into the room page's
// folders nor touch the page's globals. The compiler cannot keep this
// boundary (both share the DOM's types); this test does.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../site/src", import.meta.url));
const LIBRARY = ["net", "peer", "call", "client"];
/** The room page: its views, its media, its entry; "." is site/src's own files. */
const PAGE = [".", "room", "ui"];

function sources(dirs: string[]): { file: string; text: string }[] {
  return dirs.flatMap((dir) =>
    readdirSync(join(src, dir))
      .filter((name) => name.endsWith(".ts"))
      .map((name) => ({ file: `${dir}/${name}`, text: readFileSync(join(src, dir, name), "utf8") })),
  );
}

/** What a file imports, as written. */
function imports(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)[^"']*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
}

describe("the client library's boundary", () => {
  const files = sources(LIBRARY);

  it("has files to check", () => {
    expect(files.length).toBeGreaterThan(20);
    expect(imports('import { a } from "../ui/x";\nexport type { B } from "./b";')).toEqual(["../ui/x", "./b"]);
  });

  it("imports nothing of the room page: no views, no page media, no stored preferences", () => {
    const crossings = files.flatMap(({ file, text }) =>
      imports(text)
        .filter((spec) => /^\.\.\/(ui|room)\/|^\.\.\/(media|prefs|dom|main)$/.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(crossings).toEqual([]);
  });

  it("touches no document, storage or address bar", () => {
    const uses = files.flatMap(({ file, text }) =>
      [...text.replace(/\/\/.*$/gm, "").matchAll(/\b(document|localStorage|sessionStorage|location)\./g)].map(
        (m) => `${file} uses ${m[1]}`,
      ),
    );
    expect(uses).toEqual([]);
  });
});

describe("the room page on the library", () => {
  const files = sources(PAGE);

  it("has files to check", () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(["room/in-call.ts", "ui/stage.ts", "./media.ts"]));
  });

  it("reaches the call only through tincan/client's entry, never into its folders", () => {
    // The page is the library's first user: what it needs of a call, an app can have too.
    const crossings = files.flatMap(({ file, text }) =>
      imports(text)
        .filter((spec) => /(^|\/)(net|peer|call)\/|\/client\/./.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(crossings).toEqual([]);
    expect(files.some(({ text }) => imports(text).some((spec) => /\/client$/.test(spec)))).toBe(true);
  });
});
