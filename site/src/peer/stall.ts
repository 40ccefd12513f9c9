// Media that stops arriving is the first sign that a connection's path is
// gone (the peer's router changed its address, a phone left Wi-Fi): the
// browser itself calls the connection `disconnected` only after about five
// seconds of silence. Pure: the page feeds it, five times a second, the
// newest packet time its receivers report; it says when a stall begins.

/**
 * Silence this long, after media was flowing, is a stall. Audio alone sends
 * 50 packets a second, muted or not: on a link losing 20% each way, 40 in a
 * row never go missing by chance.
 */
export const STALL_MS = 800;

export class StallWatch {
  #newest = 0;
  #heardAt = 0;
  #flowing = false;
  #reported = false;

  constructor(private readonly stallMs: number = STALL_MS) {}

  /**
   * One reading: `newest` is the latest packet time any receiver reports (in
   * its own clock; 0 when none), `now` is ours. True only on the reading
   * where a stall begins; media flowing again re-arms it.
   */
  sample(newest: number, now: number): boolean {
    if (newest > this.#newest) {
      this.#newest = newest;
      this.#heardAt = now;
      this.#flowing = true;
      this.#reported = false;
      return false;
    }
    if (!this.#flowing || this.#reported || now - this.#heardAt < this.stallMs) return false;
    this.#reported = true;
    return true;
  }

  /** Whether media is arriving now (heard within the stall time). */
  get flowing(): boolean {
    return this.#flowing && !this.#reported;
  }

  /** Whether any media ever arrived (a data-only connection never stalls). */
  get heard(): boolean {
    return this.#flowing;
  }
}
