// Every format peers send each other: signal data (through the room), and
// what travels on their data channels (never through the room).
export * from "./channels";
export * from "./files";
export * from "./messages";
export * from "./record";
export * from "./signal";
