import { DIRECTORY_PROOF_HEADER, MAX_ID_LENGTH } from '@convene/core/wire'
import express from 'express'
import { createDirectoryCheck } from './auth/verifyDirectoryRequest.js'
import { cors } from './cors.js'
import { methodNotAllowed, sendError } from './httpErrors.js'
import type { ResolvedServerOptions } from './options.js'
import type { RoomDirectory } from './roomDirectory.js'

/**
 * `GET /:meetingId` answers `{ peers }`, the peer ids connected in that meeting. There is deliberately
 * no route that lists meetings: knowing a meeting's id is what lets you find its participants. With
 * `auth`, it also takes a valid token for that very meeting and, for a token bound to a session key,
 * a single-use proof that the caller holds that key (see `createDirectoryCheck`).
 */
export function createDirectoryRouter(
  directory: RoomDirectory,
  options: ResolvedServerOptions,
): express.Router {
  const router = express.Router()
  const checkRequest = options.auth ? createDirectoryCheck([options.auth.signingKey.publicJwk]) : null
  router.use(cors(options.corsOrigin, 'GET', [DIRECTORY_PROOF_HEADER]))
  router.get('/:meetingId', (req, res) => {
    const meetingId = req.params.meetingId
    if (meetingId.length === 0 || meetingId.length > MAX_ID_LENGTH) {
      sendError(res, 400, 'INVALID_MEETING_ID', `meetingId must be 1-${MAX_ID_LENGTH} characters`)
      return
    }
    const decide = async () => {
      const refusal = checkRequest ? await checkRequest(req.headers, meetingId) : null
      if (refusal) return refusal
      const ok = options.authorize
        ? await options.authorize({ action: 'list', meetingId, headers: req.headers })
        : true
      return ok === true ? null : ({ status: 403, code: 'FORBIDDEN', error: 'not allowed' } as const)
    }
    decide().then(
      (refusal) => {
        if (refusal) {
          const { status, code, error } = refusal
          options.logger.warn(
            { event: 'directory.refused', meetingId, status, code, reason: error, ip: req.ip },
            `room listing refused: ${error}`,
          )
          if (refusal.status === 401) res.setHeader('WWW-Authenticate', 'Bearer')
          sendError(res, refusal.status, refusal.code, refusal.error)
          return
        }
        // Never cached: the list changes with every join and departure.
        res.setHeader('Cache-Control', 'no-store')
        res.json({ peers: directory.list(meetingId) })
      },
      (error: unknown) => {
        options.logger.error(
          { event: 'directory.authorize-failed', meetingId, err: error, ip: req.ip },
          'room listing refused: authorize failed',
        )
        sendError(res, 500, 'AUTHORIZE_FAILED', 'authorize failed')
      },
    )
  })
  router.all('/:meetingId', methodNotAllowed('GET, OPTIONS'))
  return router
}
