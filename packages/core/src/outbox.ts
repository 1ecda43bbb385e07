import type { SessionCredentials } from './auth/credentials.js'
import { messageKind } from './messageKinds.js'
import type { Delivery, HelloMessage, WireMessage } from './protocol.js'
import type { LinkId, TransportSession } from './transport.js'
import { helloProofPayload } from './wire/helloProof.js'

/**
 * Sends in order, adding credentials to hellos. Without a key every send is synchronous (as the
 * transport's own); with one, a hello waits for its token and signature and whatever is sent after it
 * waits behind it. Goodbyes never wait: a page being closed gets one synchronous chance to send them.
 */
export function createOutbox(
  session: TransportSession,
  credentials: SessionCredentials | null,
  report: (error: unknown) => void,
) {
  let backlog: Promise<void> = Promise.resolve()
  let waiting = 0

  const deliver = (message: WireMessage, to: LinkId | undefined, delivery: Delivery) => {
    try {
      session.send(message, to, delivery)
    } catch (error) {
      report(error)
    }
  }

  async function credentialed(
    hello: HelloMessage,
    to: LinkId | undefined,
    own: SessionCredentials,
  ): Promise<HelloMessage> {
    const token = await own.fresh()
    const from = session.address
    const key = own.key
    if (!key || from === undefined || to === undefined) return { ...hello, token }
    return { ...hello, token, proof: await key.sign(helloProofPayload(hello, from, to)) }
  }

  function send(message: WireMessage, to?: LinkId): void {
    const { urgent, delivery } = messageKind(message.type)
    if (message.type === 'hello' && credentials) {
      if (!credentials.key) {
        // A bearer token: nothing to sign, no reason to wait.
        if (waiting === 0) {
          deliver({ ...message, token: credentials.token }, to, delivery)
          return
        }
      }
      waiting += 1
      const signed = credentialed(message, to, credentials)
      backlog = backlog
        .then(() => signed)
        .then(
          (hello) => deliver(hello, to, delivery),
          (error: unknown) => report(error),
        )
        .finally(() => {
          waiting -= 1
        })
      return
    }
    if (waiting === 0 || urgent) {
      deliver(message, to, delivery)
      return
    }
    waiting += 1
    backlog = backlog
      .then(() => deliver(message, to, delivery))
      .finally(() => {
        waiting -= 1
      })
  }

  return {
    send,
    /** Resolves once everything queued so far was handed to the transport. */
    flushed: () => backlog,
  }
}
