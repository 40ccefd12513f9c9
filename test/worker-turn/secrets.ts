// Proof that a secret never leaves the server: every frame of a session and
// every console line are scanned for it, raw and in the encodings a leak
// would most likely take.

export function secretForms(secret: string): string[] {
  return [secret, btoa(secret), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

export function findLeaks(haystacks: Iterable<string>, secret: string): string[] {
  const forms = secretForms(secret);
  return [...haystacks].filter((text) => forms.some((form) => text.includes(form)));
}

/** Collects every console line while `run` runs. */
export async function captureConsole<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const originals = methods.map((m) => console[m]);
  for (const m of methods) {
    console[m] = (...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === "string" ? a : (JSON.stringify(a) ?? String(a)))).join(" "));
    };
  }
  try {
    return { result: await run(), lines };
  } finally {
    methods.forEach((m, i) => {
      console[m] = originals[i]!;
    });
  }
}
