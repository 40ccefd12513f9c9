// Size and depth limits of JSON frames, checked before anything else is
// done with them: a frame is refused without being copied or walked further
// than its limit.

/** Nesting depth of a JSON value (a scalar is 0), without recursion. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest; // no need to look further
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, here]);
  }
  return deepest;
}

const utf8 = new TextEncoder();

/** Whether `frame` is over `limit` bytes of UTF-8, without encoding it when the answer is obvious. */
export function exceedsByteLimit(frame: string, limit: number): boolean {
  // A UTF-16 code unit encodes to at most 3 UTF-8 bytes.
  if (frame.length * 3 <= limit) return false;
  if (frame.length > limit) return true;
  return utf8.encode(frame).byteLength > limit;
}
