import { SIGNALLING_PRESENCE_TYPE } from '@convene/core/wire'
import { type ConveneServer, createConveneServer } from '@convene/server'
import { afterEach } from 'vitest'
import WebSocket from 'ws'

/** One parsed message from PeerServer. */
export interface ServerMessage {
  type: string
  src?: string
  payload?: { peers?: unknown }
}

/** A signalling connection opened as PeerJS opens one, that keeps every message PeerServer sends it. */
export interface Inbox {
  readonly id: string
  readonly socket: WebSocket
  /** The next message not read yet, in the order they came; waits for one. */
  next(): Promise<ServerMessage>
  /** Reads messages up to the next presence message and returns its `payload.peers`; fails on any other. */
  presence(): Promise<unknown>
  /** Sends a JSON message as a PeerJS client would. */
  send(message: object): void
}

/** Opens a signalling connection (`token` as PeerServer's query token) and waits for PeerServer's OPEN. */
export function openInbox(
  url: string,
  id: string,
  options: { path?: string; token?: string; answersPings?: boolean } = {},
): Promise<Inbox> {
  const query = new URLSearchParams({ key: 'peerjs', id, token: options.token ?? `t-${id.length}` })
  // `answersPings: false`: a device that answers nothing (suspended, cut off), where a browser's network
  // stack answers ping frames even while its page is frozen.
  const socket = new WebSocket(`${url.replace('http', 'ws')}${options.path ?? '/peerjs'}/peerjs?${query}`, {
    autoPong: options.answersPings ?? true,
  })
  const received: ServerMessage[] = []
  const waiting: ((message: ServerMessage) => void)[] = []
  // Listening from the start: PeerServer's OPEN and the presence after it can come in one read.
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage
    const waiter = waiting.shift()
    if (waiter) waiter(message)
    else received.push(message)
  })
  const next = () => {
    const message = received.shift()
    return message ? Promise.resolve(message) : new Promise<ServerMessage>((r) => waiting.push(r))
  }
  const inbox: Inbox = {
    id,
    socket,
    next,
    async presence() {
      const message = await next()
      if (message.type !== SIGNALLING_PRESENCE_TYPE) {
        throw new Error(`expected ${SIGNALLING_PRESENCE_TYPE}, got ${JSON.stringify(message)}`)
      }
      return message.payload?.peers
    },
    send: (message) => socket.send(JSON.stringify(message)),
  }
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    void next().then((first) => {
      if (first.type === 'OPEN') resolve(inbox)
      else reject(new Error(`PeerServer answered ${JSON.stringify(first)}`))
    })
  })
}

/**
 * Servers and raw signalling sockets that a test opens and that close after it: `start` a server on
 * 127.0.0.1, `join` it as a peer id (with an optional token).
 */
export function signallingRig() {
  const servers: ConveneServer[] = []
  const inboxes: Inbox[] = []
  afterEach(async () => {
    for (const inbox of inboxes.splice(0)) inbox.socket.terminate()
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  return {
    async start(options: { aliveTimeoutMs?: number } = {}): Promise<ConveneServer> {
      const server = await createConveneServer({ port: 0, host: '127.0.0.1', ...options })
      servers.push(server)
      return server
    },
    /** Closes after the test a server that the test started otherwise. */
    keep(server: ConveneServer): void {
      servers.push(server)
    },
    async join(server: ConveneServer, id: string, token?: string, answersPings?: boolean): Promise<Inbox> {
      const inbox = await openInbox(server.url, id, { path: server.path, token, answersPings })
      inboxes.push(inbox)
      return inbox
    },
  }
}
