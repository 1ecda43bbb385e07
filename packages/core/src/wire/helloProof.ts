/**
 * The hello proof: what a session signs in each hello it sends, checked by every participant that
 * verifies tokens (see core's `auth`).
 */

/** The first line of what a hello's proof signs. */
export const HELLO_CONTEXT = 'convene-hello-v1'

/** The fields of a hello that its proof covers. */
export interface HelloProofFields {
  readonly meetingId: string
  readonly participant: { readonly id: string }
  readonly session: string
  readonly joinedAt: number
}

/**
 * What a hello's `proof` signs: who speaks (meeting, participant, session, when it joined) and the link
 * it is said on, as the sender's and the receiver's addresses, one a line after
 * `convene-hello-v1`. A hello captured on one link therefore proves nothing on any other.
 */
export function helloProofPayload(hello: HelloProofFields, from: string, to: string): string {
  return [
    HELLO_CONTEXT,
    hello.meetingId,
    hello.participant.id,
    hello.session,
    String(hello.joinedAt),
    from,
    to,
  ].join('\n')
}
