// A camera that is hard to encode: Chromium's fake camera plays a
// generated Y4M file of fresh noise in every frame (640×360, 30 fps, one
// second looped), so an encoder spends every bit it is allowed. The fake
// camera's own picture is simple and needs far less than any cap.
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const WIDTH = 640;
const HEIGHT = 360;
const FRAMES = 30;

/** Writes the file (seeded, so every run encodes the same picture) and returns its path. */
export async function writeNoiseVideo(): Promise<string> {
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F30:1 Ip A1:1 C420jpeg\n`)];
  let seed = 1;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed & 255;
  };
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  for (let f = 0; f < FRAMES; f++) {
    const luma = Buffer.alloc(WIDTH * HEIGHT);
    for (let i = 0; i < luma.length; i++) luma[i] = next();
    parts.push(Buffer.from("FRAME\n"), luma, chroma, chroma);
  }
  const path = join(tmpdir(), `tincan-noise-${process.pid}.y4m`);
  await writeFile(path, Buffer.concat(parts));
  return path;
}
