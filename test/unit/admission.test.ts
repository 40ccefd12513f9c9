// Who gets a seat: the decisions a join makes on arrival and after its awaits.
import { describe, expect, it } from "vitest";
import { afterAwaits, onArrival } from "../../worker/room/admission";

describe("admission on arrival", () => {
  it("turns a newcomer away from a full room, and lets one in while a seat is free", () => {
    expect(onArrival({ claimsSeat: false, seats: 8, capacity: 8 })).toBe("turn-away");
    expect(onArrival({ claimsSeat: false, seats: 7, capacity: 8 })).toBe("continue");
  });

  it("always lets a valid resume go on: its seat is counted already", () => {
    expect(onArrival({ claimsSeat: true, seats: 8, capacity: 8 })).toBe("continue");
  });
});

describe("admission after the awaits", () => {
  it("resumes a claim whose seat is still valid, even in a full room", () => {
    expect(afterAwaits({ claimed: true, seatStillValid: true, seats: 8, capacity: 8 })).toBe("resume");
  });

  it("sends a claim whose seat ended meanwhile to retry (it gets a fresh identity), never a silent new seat", () => {
    expect(afterAwaits({ claimed: true, seatStillValid: false, seats: 1, capacity: 8 })).toBe("retry");
  });

  it("turns a newcomer away if the room filled up while it waited", () => {
    expect(afterAwaits({ claimed: false, seatStillValid: false, seats: 8, capacity: 8 })).toBe("turn-away");
    expect(afterAwaits({ claimed: false, seatStillValid: false, seats: 7, capacity: 8 })).toBe("join");
  });
});
