// Calling code that is not ours (a view, an app's listener) from the call's
// own code paths. A listener that throws must not stop the listeners after
// it, nor the call code that was mid-way when it emitted (a peer leaving is
// announced before its connection is closed): the error is reported and
// everything goes on.

export function callEach<Args extends unknown[]>(listeners: Iterable<(...args: Args) => void>, args: Args): void {
  for (const listener of [...listeners]) {
    try {
      listener(...args);
    } catch (error) {
      console.error("tincan: a listener threw (the others and the call go on):", error);
    }
  }
}
