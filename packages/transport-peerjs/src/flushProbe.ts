/**
 * Delivery confirmed, not guessed. A data channel's `bufferedAmount` drops to 0 as soon as the WebRTC
 * stack takes a message (node-datachannel reports 0 right after `send`), not when it reached the
 * peer: a connection closed at that moment still loses it. So `drain()` sends a probe on each link
 * and waits for the peer's echo. The channels are reliable and ordered, so an echo means every
 * message sent before the probe was handed to the peer's session.
 *
 * The frames are not JSON, so they can never be taken for a wire message; this transport answers
 * and drops them before decoding.
 */
const PROBE = '\u0001flush:'
const ECHO = '\u0001flushed:'

export class FlushProbe {
  private next = 0
  /** Probes sent and not echoed yet, by id: the link each went on, and what to call on its echo. */
  private readonly waiting = new Map<string, { remote: string; done: () => void }>()

  constructor(private readonly send: (data: string, to: string) => void) {}

  /**
   * Handles a probe or an echo; `false` for anything else. A probe is answered on the link it came
   * on, after everything that link delivered before it.
   */
  receive(remote: string, data: unknown): boolean {
    if (typeof data !== 'string' || !data.startsWith('\u0001')) return false
    if (data.startsWith(PROBE)) this.send(`${ECHO}${data.slice(PROBE.length)}`, remote)
    else if (data.startsWith(ECHO)) this.settle(data.slice(ECHO.length))
    return true
  }

  /** Resolves once each of `remotes` echoed a probe sent now, or went down, or `timeoutMs` passed. */
  confirm(remotes: readonly string[], timeoutMs: number): Promise<void> {
    if (remotes.length === 0 || timeoutMs <= 0) return Promise.resolve()
    const ids: string[] = []
    const echoed = remotes.map(
      (remote) =>
        new Promise<void>((done) => {
          const id = String(this.next++)
          ids.push(id)
          this.waiting.set(id, { remote, done })
          this.send(`${PROBE}${id}`, remote)
        }),
    )
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<void>((done) => {
      timer = setTimeout(done, timeoutMs)
    })
    return Promise.race([Promise.all(echoed).then(() => undefined), late]).finally(() => {
      clearTimeout(timer)
      for (const id of ids) this.waiting.delete(id)
    })
  }

  /** The link to `remote` is gone: nothing will come back on it, so its probes are not waited for. */
  linkDown(remote: string): void {
    for (const [id, probe] of this.waiting) if (probe.remote === remote) this.settle(id)
  }

  private settle(id: string): void {
    const probe = this.waiting.get(id)
    if (!probe) return
    this.waiting.delete(id)
    probe.done()
  }
}
