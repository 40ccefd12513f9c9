// A typed value that views render from. Updates replace the value (never
// mutate it in place), and every subscriber hears of each one (one that
// throws stops neither the others nor the update).
import { callEach } from "./listeners";

export class Store<T> {
  readonly #subscribers = new Set<(value: T, previous: T) => void>();

  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  update(change: (value: T) => T): void {
    const previous = this.value;
    const next = change(previous);
    if (next === previous) return;
    this.value = next;
    callEach(this.#subscribers, [next, previous]);
  }

  /** Calls `subscriber` on every change from now on; returns how to stop. */
  subscribe(subscriber: (value: T, previous: T) => void): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }
}
