// What both ends share. The runtime checks in ./parse are imported by the
// room directly, so the site bundle never carries the validator.
export * from "./messages";
export * from "./ids";
export * from "./peer-signal";
