// A listener that throws (a view's bug, an app's) must not stop the others,
// nor the call code that emitted: it is reported and everything goes on.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Emitter } from "../../site/src/call/emitter";
import { Store } from "../../site/src/call/store";

afterEach(() => vi.restoreAllMocks());

describe("a listener that throws", () => {
  it("stops neither the other listeners of an event nor the code that emitted it", () => {
    const reported = vi.spyOn(console, "error").mockImplementation(() => {});
    const events = new Emitter<{ left: [id: string] }>();
    const heard: string[] = [];
    events.on("left", () => {
      throw new Error("a view's bug");
    });
    events.on("left", (id) => heard.push(id));
    // Returns normally: the emitter's next step (closing the peer's connection) still runs.
    expect(() => events.emit("left", "p1")).not.toThrow();
    expect(heard).toEqual(["p1"]);
    expect(reported).toHaveBeenCalledOnce();
  });

  it("stops neither the other subscribers of a store nor the update", () => {
    const reported = vi.spyOn(console, "error").mockImplementation(() => {});
    const store = new Store({ n: 0 });
    const seen: number[] = [];
    store.subscribe(() => {
      throw new Error("a view's bug");
    });
    store.subscribe((value) => seen.push(value.n));
    store.update(() => ({ n: 1 }));
    store.update(() => ({ n: 2 }));
    expect(seen).toEqual([1, 2]);
    expect(store.get()).toEqual({ n: 2 });
    expect(reported).toHaveBeenCalledTimes(2);
  });
});
