import type { DataConnection } from 'peerjs'
import { EndedSessions } from './endedSessions.js'
import { HEDGE_MS, MAX_OPENING } from './linkPair.js'
import { Redialler } from './Redialler.js'

/** What the dialler reads of the links, and where its dials go. */
export interface DialledLinks {
  /** The session is closing: nothing is dialled any more. */
  readonly closing: boolean
  isUp(remote: string): boolean
  /** Dials of ours to `remote` still opening. */
  opening(remote: string): number
  /** Connections to `remote`, open or opening, whoever dialled. */
  connections(remote: string): number
  /** Takes charge of a connection just dialled. */
  adopt(conn: DataConnection, initiator: string): void
}

/**
 * Who is dialled, and again: each pair not up (again) until it is, one more dial while fewer than
 * `MAX_OPENING` of ours are in flight (a dial that fails only makes room for the next one); never a
 * session core refused or one known to be over.
 */
export class Dialler {
  readonly redial = new Redialler((remote) => this.dialAgain(remote))
  /**
   * Sessions core refused (a hello that failed verification). Never linked again in this session,
   * whoever dials: an impostor redials too, and each new link would be greeted before it is checked.
   * An honest participant that rejoins does so as a new session, under a new peer id.
   */
  private readonly refused = new Set<string>()

  constructor(
    private readonly localId: string,
    private readonly links: DialledLinks,
    /** Opens a connection to `remote`; `undefined` when that is impossible right now. */
    private readonly dial: (remote: string) => DataConnection | undefined,
    /** Sessions known to be over (the transport's, shared by its sessions): never dialled. */
    private readonly ended: EndedSessions = new EndedSessions(),
  ) {}

  /** Whether `remote` may never be linked: refused by core, or over. */
  excluded(remote: string): boolean {
    return this.refused.has(remote) || this.ended.has(remote)
  }

  /** Dials `remote` unless a connection to it exists; from then on the pair is kept linked. */
  connect(remote: string): void {
    if (this.excluded(remote)) return
    this.redial.resume(remote)
    if (this.links.closing || this.links.connections(remote) > 0) return
    this.dialOnce(remote)
    this.redial.keep(remote, HEDGE_MS)
  }

  /**
   * One more dial of a pair not up, while fewer than `MAX_OPENING` of ours are in flight; `false` once
   * the pair is up or refused (or the session closing), so its dialler stops.
   */
  dialAgain(remote: string): boolean {
    if (this.links.closing || this.links.isUp(remote) || this.excluded(remote)) return false
    if (this.redial.isAbandoned(remote)) return false
    if (this.links.opening(remote) < MAX_OPENING) this.dialOnce(remote)
    return true
  }

  /**
   * One more dial of a pair that is up but silent (`SilentPairs`), alongside its connections: not of a
   * session refused, over or given up on, and only while the pair has fewer than `MAX_OPENING`
   * connections, so a pair whose fresh dials open and stay silent too stops growing. Either end may
   * dial (the other adopts it like any dial); both ends then keep the preferred initiator's.
   */
  dialAfresh(remote: string): void {
    if (this.links.closing || this.excluded(remote) || this.redial.isAbandoned(remote)) return
    if (this.links.connections(remote) < MAX_OPENING) this.dialOnce(remote)
  }

  /** `remote` said its session is over: never dialled again. */
  over(remote: string): void {
    this.ended.add(remote)
    this.redial.abandon(remote)
  }

  /** Core refused `remote`: never linked again, whoever dials. */
  refuse(remote: string): void {
    this.refused.add(remote)
    this.redial.abandon(remote)
  }

  /** One more dial of `remote`; nothing when signalling is down (its reconnect lists the room anew). */
  private dialOnce(remote: string): void {
    const conn = this.dial(remote)
    if (conn) this.links.adopt(conn, this.localId)
  }
}
