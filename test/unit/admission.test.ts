// Who gets a seat: the decisions a join makes on arrival and after its awaits,
// and the answer to an admit.
import { describe, expect, it } from "vitest";
import { afterAwaits, onAdmit, onArrival } from "../../worker/room/admission";

const open = { locked: false, knockers: 0, lobbyCapacity: 8 };
const locked = { ...open, locked: true };

describe("admission on arrival", () => {
  it("turns a newcomer away from a full room, and lets one in while a seat is free", () => {
    expect(onArrival({ ...open, claimsSeat: false, seats: 8, capacity: 8 })).toBe("turn-away");
    expect(onArrival({ ...open, claimsSeat: false, seats: 7, capacity: 8 })).toBe("continue");
  });

  it("always lets a valid resume go on: its seat is counted already, locked or not", () => {
    expect(onArrival({ ...open, claimsSeat: true, seats: 8, capacity: 8 })).toBe("continue");
    expect(onArrival({ ...locked, knockers: 8, claimsSeat: true, seats: 8, capacity: 8 })).toBe("continue");
  });

  it("lets a newcomer of a locked room knock while the lobby has room, and never seats it", () => {
    expect(onArrival({ ...locked, claimsSeat: false, seats: 1, capacity: 8 })).toBe("knock");
    expect(onArrival({ ...locked, knockers: 7, claimsSeat: false, seats: 1, capacity: 8 })).toBe("knock");
    expect(onArrival({ ...locked, knockers: 8, claimsSeat: false, seats: 1, capacity: 8 })).toBe("lobby-full");
  });

  it("turns a newcomer away from a locked room that is full, not into the lobby", () => {
    expect(onArrival({ ...locked, claimsSeat: false, seats: 8, capacity: 8 })).toBe("turn-away");
  });
});

describe("admission after the awaits", () => {
  it("resumes a claim whose seat is still valid, even in a full room", () => {
    expect(afterAwaits({ ...open, claimed: true, seatStillValid: true, seats: 8, capacity: 8 })).toBe("resume");
  });

  it("sends a claim whose seat ended meanwhile to retry (it gets a fresh identity), never a silent new seat", () => {
    expect(afterAwaits({ ...open, claimed: true, seatStillValid: false, seats: 1, capacity: 8 })).toBe("retry");
  });

  it("turns a newcomer away if the room filled up while it waited", () => {
    expect(afterAwaits({ ...open, claimed: false, seatStillValid: false, seats: 8, capacity: 8 })).toBe("turn-away");
    expect(afterAwaits({ ...open, claimed: false, seatStillValid: false, seats: 7, capacity: 8 })).toBe("join");
  });

  it("sends a newcomer to the lobby if the room was locked while it waited", () => {
    expect(afterAwaits({ ...locked, claimed: false, seatStillValid: false, seats: 2, capacity: 8 })).toBe("knock");
    expect(afterAwaits({ ...locked, knockers: 8, claimed: false, seatStillValid: false, seats: 2, capacity: 8 })).toBe(
      "lobby-full",
    );
  });
});

describe("an admit", () => {
  it("seats a waiting knocker while a seat is free, counting the admits already under way", () => {
    expect(onAdmit({ pending: true, seats: 7, admitting: 0, capacity: 8 })).toBe("admit");
    expect(onAdmit({ pending: true, seats: 7, admitting: 1, capacity: 8 })).toBe("room-full");
    expect(onAdmit({ pending: true, seats: 8, admitting: 0, capacity: 8 })).toBe("room-full");
  });

  it("knows no knock that is not waiting (answered already, or gone)", () => {
    expect(onAdmit({ pending: false, seats: 1, admitting: 0, capacity: 8 })).toBe("unknown-knock");
  });
});
