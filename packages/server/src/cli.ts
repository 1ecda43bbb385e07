#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { MeetingError } from '@convene/core'
import { authFromFlags } from './cliAuth.js'
import { describeCliFailure } from './cliErrors.js'
import { type ConveneServer, createConveneServer } from './createConveneServer.js'
import { LEVELS, resolveLogger } from './logger.js'

const usage = `Usage: convene-server [--host 127.0.0.1] [--port 9000] [--path /peerjs] [--key peerjs]
                      [--signing-key <file>] [--allow-all] [--expires-in 3600] [--log-level info]
                      [--cors-origin <origin>]... [--redis redis://127.0.0.1:6379]
                      [--relay-path /convene/relay] [--ping-interval 5000] [--ping-timeout 10000]
                      [--grace 5000] [--failover-grace 15000]

Runs the Convene server on one port: PeerServer (/peerjs), the room directory, tokens (with a
signing key) and the Socket.IO relay (/convene/relay). Binds to 127.0.0.1 unless --host says otherwise.
Logs newline-delimited JSON on stdout (pino); --log-level: fatal, error, warn, info (default; or env
CONVENE_LOG_LEVEL), debug, trace or silent.
--cors-origin <origin>: a browser origin allowed to call the server, such as https://app.example.com
(repeat it, or separate origins with commas). Default: any origin.
--redis <url>: join a cluster of nodes sharing this Redis (the Socket.IO relay's messages, rooms and
sessions); without it, one node keeps everything in memory.
--relay-path <path>: where the Socket.IO relay for @convene/transport-socketio listens (default
/convene/relay).
--ping-interval <ms>, --ping-timeout <ms>: the relay's ping of each client (default 5000 and 10000):
a client that does not answer a ping within the timeout is dropped; one busy for less is not.
--grace <ms>: how long a dropped client may come back before its meeting is told it is gone
(default 5000): a crashed client is told after this; a silent one after ping + timeout + grace.
--failover-grace <ms>: with --redis, how long the clients of a node found dead may take to come back
to another node before they are told gone (default 15000).

Tokens (auth): with a signing key, the room directory and PeerServer admit only holders of valid
tokens (PeerServer: with a proof of possession), and the public key is served at
/.well-known/jwks.json.
  --signing-key <file>  a P-256 private key, PKCS#8 PEM or JWK JSON (or env CONVENE_SIGNING_KEY:
                        the key itself or its file). POST /token then refuses every request: your
                        backend issues tokens with createToken() and the same key.
  --allow-all           DEVELOPMENT ONLY: POST /token grants every request as asked, host included
                        (with no --signing-key, a fresh key for this run).
  --expires-in <span>   lifetime of issued tokens, seconds or a span such as 2h (default 3600).`

/** `--cors-origin a --cors-origin b,c`: the list; none (or `*`): the option's default, any origin. */
function corsFromFlag(values: string[] | undefined): { corsOrigin?: string[] } {
  const origins = (values ?? []).flatMap((value) => value.split(',')).map((origin) => origin.trim())
  if (origins.length === 0 || origins.includes('*')) return {}
  return { corsOrigin: origins }
}

/** The relay's flags as `relay` options; a bad number is refused by the options' own check, naming it. */
function relayFromFlags(values: Record<string, string | boolean | string[] | undefined>) {
  const ms = (flag: string) => {
    const value = values[flag]
    return typeof value === 'string' ? Number(value) : undefined
  }
  const relay = {
    path: values['relay-path'] as string | undefined,
    pingIntervalMs: ms('ping-interval'),
    pingTimeoutMs: ms('ping-timeout'),
    recoveryMs: ms('grace'),
    failoverGraceMs: ms('failover-grace'),
  }
  return Object.fromEntries(Object.entries(relay).filter(([, value]) => value !== undefined))
}

// Where the server was asked to listen, for a one-line error when it cannot.
const where = { host: '127.0.0.1', port: 9000 }

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      path: { type: 'string' },
      key: { type: 'string' },
      'signing-key': { type: 'string' },
      'allow-all': { type: 'boolean' },
      'expires-in': { type: 'string' },
      'log-level': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      redis: { type: 'string' },
      'relay-path': { type: 'string' },
      'ping-interval': { type: 'string' },
      'ping-timeout': { type: 'string' },
      grace: { type: 'string' },
      'failover-grace': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const port = values.port === undefined ? 9000 : Number(values.port)
  where.host = values.host ?? where.host
  where.port = port
  const level = values['log-level']
  if (level !== undefined && !LEVELS.includes(level)) {
    throw MeetingError.invalidOption('logger', `\`${level}\` is not a level: use one of ${LEVELS.join(', ')}`)
  }
  const logger = resolveLogger(level)
  const auth = await authFromFlags(
    { signingKey: values['signing-key'], allowAll: values['allow-all'], expiresIn: values['expires-in'] },
    process.env,
    (line) => logger.warn({ event: 'cli.auth' }, line),
  )
  // Handlers first: a signal that comes while the server starts (its URL is already printed) must
  // still stop it cleanly, not kill the process by default.
  let server: ConveneServer | undefined
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ event: 'server.stopping', signal }, `${signal}: stopping convene-server`)
    if (server) void server.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  server = await createConveneServer({
    host: values.host,
    port,
    path: values.path,
    key: values.key,
    auth,
    logger,
    ...corsFromFlag(values['cors-origin']),
    ...(values.redis === undefined ? {} : { redis: values.redis }),
    relay: relayFromFlags(values),
  })
  if (server.tokenUrl && values['allow-all']) {
    logger.info({ event: 'server.tokens' }, `tokens at ${server.tokenUrl}, public keys at ${server.jwksUrl}`)
  } else if (server.tokenUrl) {
    logger.info(
      { event: 'server.tokens' },
      `public keys at ${server.jwksUrl}; POST ${server.tokenUrl} refuses every request (no token policy)`,
    )
  }
  if (stopping) await server.close().then(() => process.exit(0))
}

main().catch((error: unknown) => {
  const failure = describeCliFailure(error, where)
  console.error(`convene-server: ${failure.line}`)
  console.error(failure.showUsage ? usage : 'Run convene-server --help for the options.')
  process.exit(1)
})
