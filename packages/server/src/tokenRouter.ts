import { isMeetingError } from '@convene/core'
import express from 'express'
import { decodeJwt } from 'jose'
import type { ResolvedAuth, TokenDecision, TokenRequest } from './auth/authOptions.js'
import { checkClaims, createToken } from './auth/createToken.js'
import { checkSessionPublicKey } from './auth/publicKey.js'
import { cors } from './cors.js'
import { methodNotAllowed, sendError } from './httpErrors.js'
import type { Logger } from './logger.js'
import type { ResolvedServerOptions } from './options.js'

/** What `POST /token` answers on success. */
export interface TokenResponse {
  /** The signed token, for `createMeeting({ token })` (and the transport's directory listing). */
  token: string
  /** The meeting the token is for (its `aud`). The claims granted may differ from those asked: join with these. */
  meetingId: string
  /** The participant the token is for (its `sub`). */
  participantId: string
  /** The role the token grants, as `authorize` decided. */
  role: 'host' | 'participant'
  /** When the token expires, as an ISO 8601 date. */
  expiresAt: string
}

const JWKS_PATH = '/.well-known/jwks.json'

async function requestFrom(body: unknown, headers: TokenRequest['headers']): Promise<TokenRequest | string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'the body must be a JSON object { meetingId, participantId, role, publicKey? }'
  }
  const { meetingId, participantId, role, publicKey } = body as Record<string, unknown>
  try {
    checkClaims({ meetingId, participantId, role })
    const request = { meetingId, participantId, role, headers } as TokenRequest
    if (publicKey === undefined) return request
    return { ...request, publicKey: await checkSessionPublicKey(publicKey) }
  } catch (error) {
    return isMeetingError(error) ? error.message.replace(/^Invalid option/, 'Invalid field') : String(error)
  }
}

function grantFrom(decision: TokenDecision, request: TokenRequest, auth: ResolvedAuth) {
  if (decision !== true && (typeof decision !== 'object' || decision === null)) return null
  const grant = decision === true ? {} : decision
  return {
    meetingId: grant.meetingId ?? request.meetingId,
    participantId: grant.participantId ?? request.participantId,
    role: grant.role ?? request.role,
    expiresIn: grant.expiresIn ?? auth.expiresIn,
    // The key is the caller's own, not a grant: the token is bound to whoever asked, or to nobody.
    ...(request.publicKey ? { publicKey: request.publicKey } : {}),
  }
}

/** Who asked, for the log: the claims asked for, the caller's address, never the token. */
function asker(request: TokenRequest, req: express.Request) {
  const { meetingId, participantId, role } = request
  return { meetingId, participantId, role, bound: request.publicKey !== undefined, ip: req.ip }
}

/** Asks the app's `authorize`, then signs and answers what it grants (403, or 500 for its failure). */
function issue(
  request: TokenRequest,
  auth: ResolvedAuth,
  req: express.Request,
  res: express.Response,
  log: Logger,
) {
  return Promise.resolve()
    .then(() => auth.authorize(request))
    .then(async (decision) => {
      if (decision === false) {
        log.warn(
          { event: 'token.refused', ...asker(request, req), reason: 'authorize refused' },
          'token refused',
        )
        sendError(res, 403, 'TOKEN_REFUSED', auth.refusal)
        return
      }
      const grant = grantFrom(decision, request, auth)
      if (grant === null) throw new TypeError('authorize must return a boolean or a TokenGrant')
      const token = await createToken(grant, auth.signingKey)
      const exp = decodeJwt(token).exp as number
      const body: TokenResponse = {
        token,
        meetingId: grant.meetingId,
        participantId: grant.participantId,
        role: grant.role,
        expiresAt: new Date(exp * 1000).toISOString(),
      }
      const granted = { meetingId: body.meetingId, participantId: body.participantId, role: body.role }
      log.info(
        { event: 'token.issued', ...asker(request, req), granted, expiresAt: body.expiresAt },
        'token issued',
      )
      res.json(body)
    })
    .catch((error: unknown) => {
      // The hook's failure (or its invalid grant) is the app's bug: say so on the server, not to the caller.
      log.error(
        { event: 'token.authorize-failed', ...asker(request, req), err: error },
        'token refused: authorize failed',
      )
      sendError(res, 500, 'AUTHORIZE_FAILED', 'authorize failed')
    })
}

/**
 * `POST <tokenPath>` with `{ meetingId, participantId, role, publicKey? }` answers a {@link TokenResponse} when the
 * app's `authorize` hook allows it (403 when it refuses, 400 for a bad body); `GET
 * /.well-known/jwks.json` publishes the public key every participant verifies tokens with.
 */
export function createTokenRouter(auth: ResolvedAuth, options: ResolvedServerOptions): express.Router {
  const router = express.Router()
  const jwks = { keys: [auth.signingKey.publicJwk] }

  router.use(JWKS_PATH, cors(options.corsOrigin, 'GET'))
  router.get(JWKS_PATH, (_req, res) => {
    // Short enough that a rotated key is picked up soon; clients (core's remote JWKS) cache on their own.
    res.setHeader('Cache-Control', 'public, max-age=300')
    res.json(jwks)
  })
  router.all(JWKS_PATH, methodNotAllowed('GET, OPTIONS'))

  router.use(auth.tokenPath, cors(options.corsOrigin, 'POST'))
  const log = options.logger
  const badBody = (req: express.Request, res: express.Response, reason: string) => {
    log.warn({ event: 'token.refused', ip: req.ip, reason }, `token refused: ${reason}`)
    sendError(res, 400, 'INVALID_BODY', reason)
  }
  router.post(auth.tokenPath, express.json({ limit: '4kb', strict: true }), (req, res) => {
    res.setHeader('Cache-Control', 'no-store')
    // JSON only: a cross-origin JSON POST needs a CORS preflight, so a page cannot post a form here.
    if (!req.is('application/json')) {
      badBody(req, res, 'send the body as JSON (Content-Type: application/json)')
      return
    }
    void requestFrom(req.body, req.headers).then((request) => {
      if (typeof request === 'string') return badBody(req, res, request)
      return issue(request, auth, req, res, log)
    })
  })
  router.all(auth.tokenPath, methodNotAllowed('POST, OPTIONS'))
  // Body errors (too large, not JSON, another charset or encoding) reach the server's JSON error handler.
  return router
}

/** How to turn tokens on: what an open server says at start and to whoever asks it for a token. */
export const ENABLE_TOKENS =
  'pass `auth: { signingKey, authorize }` to createConveneServer, or run convene-server with ' +
  '--signing-key <file> (tokens from your backend) or --allow-all (development: grants every request)'

/**
 * Without `auth`: `POST /token` and the JWKS answer 404 `TOKENS_DISABLED` as JSON saying how to turn
 * tokens on, instead of a bare "not found" that leaves a developer guessing.
 */
export function createTokensDisabledRouter(options: ResolvedServerOptions): express.Router {
  const router = express.Router()
  const disabled: express.RequestHandler = (_req, res) =>
    sendError(res, 404, 'TOKENS_DISABLED', `this server runs without tokens: ${ENABLE_TOKENS}`)
  router.use('/token', cors(options.corsOrigin, 'POST'))
  router.all('/token', disabled)
  router.use(JWKS_PATH, cors(options.corsOrigin, 'GET'))
  router.all(JWKS_PATH, disabled)
  return router
}
