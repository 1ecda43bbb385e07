import { isMeetingError } from '@convene/core'
import express from 'express'
import { decodeJwt } from 'jose'
import type { ResolvedAuth, TokenDecision, TokenRequest } from './auth/authOptions.js'
import { checkClaims, createToken } from './auth/createToken.js'
import { checkSessionPublicKey } from './auth/publicKey.js'
import { cors } from './cors.js'
import { methodNotAllowed, sendError } from './httpErrors.js'
import type { ResolvedServerOptions } from './options.js'

/** What `POST /token` answers on success. */
export interface TokenResponse {
  /** The signed token, for `createMeeting({ token })` (and the transport's directory listing). */
  token: string
  /** The claims granted, which may differ from those asked: join with these. */
  meetingId: string
  participantId: string
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

/** Asks the app's `authorize`, then signs and answers what it grants (403, or 500 for its failure). */
function issue(request: TokenRequest, auth: ResolvedAuth, res: express.Response): Promise<void> {
  return Promise.resolve()
    .then(() => auth.authorize(request))
    .then(async (decision) => {
      if (decision === false) {
        sendError(res, 403, 'FORBIDDEN', 'not allowed')
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
      res.json(body)
    })
    .catch((error: unknown) => {
      // The hook's failure (or its invalid grant) is the app's bug: say so on the server, not to the caller.
      console.error('[convene-server] POST token: authorize failed:', error)
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
  router.post(auth.tokenPath, express.json({ limit: '4kb', strict: true }), (req, res) => {
    res.setHeader('Cache-Control', 'no-store')
    // JSON only: a cross-origin JSON POST needs a CORS preflight, so a page cannot post a form here.
    if (!req.is('application/json')) {
      sendError(res, 400, 'INVALID_BODY', 'send the body as JSON (Content-Type: application/json)')
      return
    }
    void requestFrom(req.body, req.headers).then((request) => {
      if (typeof request === 'string') {
        sendError(res, 400, 'INVALID_BODY', request)
        return
      }
      return issue(request, auth, res)
    })
  })
  router.all(auth.tokenPath, methodNotAllowed('POST, OPTIONS'))
  // Body errors (too large, not JSON, another charset or encoding) reach the server's JSON error handler.
  return router
}
