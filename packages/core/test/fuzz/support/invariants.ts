import type { Stage, Tab, Told, Violation } from './stage.js'

/** Errors genuine peers may cause: only refused commands (a lone non-host's END, or a forged one). */
const EXPECTED_ERRORS = new Set(['UNAUTHORIZED_COMMAND'])

function bySession(told: readonly Told[]): Map<string, Told[]> {
  const sessions = new Map<string, Told[]>()
  for (const event of told) {
    const list = sessions.get(event.session) ?? []
    list.push(event)
    sessions.set(event.session, list)
  }
  return sessions
}

/**
 * Replays one session's log: meeting-joined first and once, meeting-left once and last, and per remote
 * session participant-joined and participant-left alternating (a remote session may come back after a
 * partition heals, so joined-left-joined-left is fine; joined-joined or left-left is not). Returns the
 * roster the events describe.
 */
function replaySession(tab: Tab, session: string, events: readonly Told[], out: Violation[]): Set<string> {
  const where = `${tab.id} session ${session}`
  const present = new Set<string>()
  let joined = false
  let left = false
  for (const event of events) {
    if (left) out.push(`${where}: ${event.type} after meeting-left`)
    switch (event.type) {
      case 'meeting-joined':
        if (joined) out.push(`${where}: meeting-joined twice`)
        joined = true
        for (const remote of event.roster ?? []) present.add(remote)
        break
      case 'meeting-left':
        if (!joined) out.push(`${where}: meeting-left without meeting-joined`)
        left = true
        break
      case 'participant-joined':
        if (!joined) out.push(`${where}: participant-joined ${event.remote} before meeting-joined`)
        if (present.has(event.remote!))
          out.push(`${where}: participant-joined ${event.remote} twice in a row`)
        present.add(event.remote!)
        break
      case 'participant-left':
        if (!present.has(event.remote!))
          out.push(`${where}: participant-left ${event.remote} (${event.reason}) without a join before it`)
        present.delete(event.remote!)
        break
      case 'error':
        if (!EXPECTED_ERRORS.has(event.code!)) out.push(`${where}: unexpected error ${event.code}`)
        break
    }
  }
  return present
}

/** Event-level invariants over everything every tab was told so far. */
export function checkLogs(stage: Stage, out: Violation[]): Map<Tab, Map<string, Set<string>>> {
  const rosters = new Map<Tab, Map<string, Set<string>>>()
  for (const tab of stage.tabs) {
    const perSession = new Map<string, Set<string>>()
    for (const [session, events] of bySession(tab.told)) {
      perSession.set(session, replaySession(tab, session, events, out))
    }
    rosters.set(tab, perSession)
  }
  return rosters
}

/**
 * After the quiet period: nobody is stuck half-way, and every connected participant's roster (both the
 * snapshot and the one its events describe) is exactly the other connected participants' sessions.
 */
export function checkQuiet(stage: Stage, out: Violation[]): void {
  const rosters = checkLogs(stage, out)
  const live = stage.tabs.filter((tab) => !tab.dead && tab.meeting.getSnapshot().status === 'joined')
  for (const tab of stage.tabs) {
    if (tab.dead) continue
    const { status, meetingState } = tab.meeting.getSnapshot()
    if (status === 'joining' || status === 'leaving')
      out.push(`${tab.id} still ${status} after the quiet period`)
    if (status === 'joined' && meetingState !== 'CONNECTED')
      out.push(`${tab.id} is ${meetingState} after the quiet period`)
  }
  const liveIds = live.map((tab) => tab.id)
  if (new Set(liveIds).size !== liveIds.length)
    out.push(`two live sessions of one participant id after the quiet period: ${liveIds.join(',')}`)
  for (const tab of live) {
    const snapshot = tab.meeting.getSnapshot()
    const session = snapshot.localParticipant.sessionId
    const expected = live
      .filter((other) => other.id !== tab.id)
      .map((other) => `${other.id}=${other.meeting.localParticipant.sessionId}`)
      .sort()
    const actual = [...snapshot.participants.values()].map((p) => `${p.id}=${p.sessionId}`).sort()
    if (expected.join() !== actual.join())
      out.push(`${tab.id} (${session}) roster [${actual}] but connected are [${expected}]`)
    const told = [...(rosters.get(tab)?.get(session) ?? [])].sort()
    const snapshotSessions = [...snapshot.participants.values()].map((p) => p.sessionId).sort()
    if (told.join() !== snapshotSessions.join())
      out.push(`${tab.id} (${session}) was told roster [${told}] but its snapshot has [${snapshotSessions}]`)
  }
}

/**
 * After everyone left: every joined session heard meeting-left exactly once (a crashed process, which
 * hears nothing, at most once), and nothing of any meeting is left running.
 */
export function checkFinal(stage: Stage, out: Violation[], timerCount: number): void {
  checkLogs(stage, out)
  for (const tab of stage.tabs) {
    for (const [session, events] of bySession(tab.told)) {
      const joined = events.some((e) => e.type === 'meeting-joined')
      const lefts = events.filter((e) => e.type === 'meeting-left').length
      if (joined && lefts !== 1 && !(tab.dead && lefts === 0))
        out.push(`${tab.id} session ${session}: meeting-left ${lefts} times`)
    }
    // The meeting's actor lives on (a join starts a new session), but no session of it may still run.
    const actor = tab.meeting.actor.getSnapshot()
    const over = actor.status !== 'active' || actor.matches('ended') || actor.matches('idle')
    if (!over || Object.keys(actor.children).length > 0)
      out.push(`${tab.id}: a session still running after everyone left`)
  }
  const open = stage.network.sessions().filter((s) => s.state === 'open' || s.state === 'disconnected')
  if (open.length > 0) out.push(`network sessions still open: ${open.map((s) => s.sessionId).join(',')}`)
  if (timerCount !== 0) out.push(`${timerCount} timers still pending after everyone left`)
}
