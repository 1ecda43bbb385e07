// A CommonJS app as a user writes one (module Node16, no skipLibCheck), against the built package: every
// type the server publishes must load through `require`, which an ESM-only dependency in them breaks.
import {
  createConveneServer,
  createToken,
  generateSigningKey,
  importSigningKey,
  type SigningJwk,
  type SigningKey,
} from '@convene/server'

export async function start(): Promise<string> {
  const signingKey: SigningKey = await generateSigningKey()
  const publicHalf: Readonly<SigningJwk> = signingKey.publicJwk
  const persisted = await importSigningKey({ ...publicHalf, d: 'the private part' })
  const server = await createConveneServer({
    port: 0,
    host: '127.0.0.1',
    auth: { signingKey: persisted, authorize: () => true },
  })
  const token = await createToken({ meetingId: 'standup', participantId: 'alice', role: 'host' }, signingKey)
  await server.close()
  return token
}
