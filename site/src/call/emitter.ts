// Typed events with any number of listeners. A second listener never
// replaces the first, and each `on` returns how to stop listening.

export class Emitter<Events extends Record<string, unknown[]>> {
  readonly #listeners: { [K in keyof Events]?: Set<(...args: Events[K]) => void> } = {};

  on<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): () => void {
    const set = (this.#listeners[event] ??= new Set());
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    for (const listener of [...(this.#listeners[event] ?? [])]) listener(...args);
  }
}
