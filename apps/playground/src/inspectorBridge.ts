import { createBrowserInspector } from '@statelyai/inspect'
import type { ActorRefLike, InspectionEvent, Observer } from 'xstate'

export type InspectorStatus =
  | { kind: 'off' }
  | { kind: 'connecting'; url: string }
  | { kind: 'connected'; url: string }
  | { kind: 'unreachable'; url: string; why: string }

export interface InspectorBridgeOptions {
  /** Where Stately's inspector lives. Defaults to `'https://stately.ai/inspect'`. */
  url?: string
  /** How long to wait for the inspector window to say it is connected. Defaults to `10000` ms. */
  connectTimeoutMs?: number
}

type Inspector = ReturnType<typeof createBrowserInspector>

/**
 * A stable `inspect` observer for the meeting actor that can be switched on and off at any time.
 * XState takes its inspector when the actor is created, so the meeting always gets this one; it
 * remembers the actors it saw, so an inspector switched on mid-meeting still learns about them.
 */
export function createInspectorBridge(options: InspectorBridgeOptions = {}) {
  const url = options.url ?? 'https://stately.ai/inspect'
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000
  // Keyed by the actor itself: session ids (`x:0`, …) are numbered per actor system and repeat across meetings.
  const known = new Map<ActorRefLike, { snapshot?: InspectionEvent }>()
  const listeners = new Set<() => void>()
  let status: InspectorStatus = { kind: 'off' }
  let inspector: Inspector | null = null
  let stopWaiting = () => {}

  function set(next: InspectorStatus) {
    status = next
    for (const listener of [...listeners]) listener()
  }

  function remember(event: InspectionEvent) {
    const id = event.actorRef
    if (event.type === '@xstate.actor') known.set(id, {})
    else if (event.type === '@xstate.snapshot') {
      const entry = known.get(id)
      if (entry) entry.snapshot = event
      if (event.snapshot.status !== 'active') known.delete(id)
    }
  }

  const inspect: Observer<InspectionEvent> = {
    next(event) {
      remember(event)
      inspector?.inspect.next?.(event)
    },
  }

  /**
   * Chromium may ignore `close()` on a window whose first page is still loading (an unreachable
   * inspector fails that fast): it is asked again until it is closed. A loaded browser can take
   * seconds to get there, so the asking lasts as long as a connection attempt may (`connectTimeoutMs`).
   */
  function closeWindow(target: Window | null) {
    if (!target) return
    target.close()
    const giveUpAt = Date.now() + connectTimeoutMs
    const retry = setInterval(() => {
      if (target.closed || Date.now() > giveUpAt) clearInterval(retry)
      else target.close()
    }, 100)
  }

  /** Stops the inspector and closes its window (Chrome's "This site can't be reached" page when offline). */
  function shutDown() {
    stopWaiting()
    const adapter = inspector?.adapter as unknown as { targetWindow: Window | null } | undefined
    inspector?.stop()
    closeWindow(adapter?.targetWindow ?? null)
    inspector = null
  }

  // The switch goes back off, and the page says why: no dead window left open, nothing half on.
  function fail(why: string) {
    if (status.kind !== 'connecting') return
    shutDown()
    set({ kind: 'unreachable', url, why })
  }

  function enable() {
    if (inspector) return
    set({ kind: 'connecting', url })
    const onMessage = (event: MessageEvent) => {
      if ((event.data as { type?: unknown } | null)?.type !== '@statelyai.connected') return
      stopWaiting()
      set({ kind: 'connected', url })
    }
    const timer = setTimeout(
      () => fail(`no answer from ${url} within ${connectTimeoutMs / 1000} s (offline?)`),
      connectTimeoutMs,
    )
    stopWaiting = () => {
      clearTimeout(timer)
      removeEventListener('message', onMessage)
    }
    addEventListener('message', onMessage)
    try {
      inspector = createBrowserInspector({ url, autoStart: false })
      inspector.start()
    } catch (error) {
      inspector = null
      return fail(`the inspector could not start: ${String(error)}`)
    }
    if (!(inspector.adapter as unknown as { targetWindow: Window | null }).targetWindow) {
      return fail('the browser blocked the inspector window (allow pop-ups for this page)')
    }
    // A network error answers much sooner than the window's silence does.
    fetch(url, { mode: 'no-cors', cache: 'no-store' }).catch(() =>
      fail(`the request to ${url} failed (offline?)`),
    )
    for (const [actorRef, { snapshot }] of known) {
      // Registered by hand with a small snapshot: the library serializes a live actor's full snapshot
      // (children, system) past its edge limit, which turns the whole registration into "[...]".
      const now = actorRef.getSnapshot() as { status?: 'active'; value?: unknown }
      inspector.actor(actorRef, { status: now.status, value: now.value })
      if (snapshot) inspector.inspect.next?.(snapshot)
    }
  }

  function disable() {
    shutDown()
    set({ kind: 'off' })
  }

  return {
    inspect,
    enable,
    disable,
    getStatus: () => status,
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}

export type InspectorBridge = ReturnType<typeof createInspectorBridge>
