import express from 'express'
import { createBearerCheck } from './auth/verifyBearer.js'
import { cors } from './cors.js'
import type { ResolvedServerOptions } from './options.js'
import type { RoomDirectory } from './roomDirectory.js'

/** Longest meeting id Convene accepts (core's `MAX_ID_LENGTH`). */
const MAX_MEETING_ID_LENGTH = 128

/**
 * `GET /:meetingId` answers `{ peers }`, the peer ids connected in that meeting. There is deliberately
 * no route that lists meetings: knowing a meeting's id is what lets you find its participants. With
 * `auth`, it also takes a valid token for that very meeting.
 */
export function createDirectoryRouter(
  directory: RoomDirectory,
  options: ResolvedServerOptions,
): express.Router {
  const router = express.Router()
  const checkBearer = options.auth ? createBearerCheck([options.auth.signingKey.publicJwk]) : null
  router.use(cors(options.corsOrigin, 'GET'))
  router.get('/:meetingId', (req, res) => {
    const meetingId = req.params.meetingId
    if (meetingId.length === 0 || meetingId.length > MAX_MEETING_ID_LENGTH) {
      res.status(400).json({
        code: 'INVALID_MEETING_ID',
        error: `meetingId must be 1-${MAX_MEETING_ID_LENGTH} characters`,
      })
      return
    }
    const decide = async () => {
      const refusal = checkBearer ? await checkBearer(req.headers, meetingId) : null
      if (refusal) return refusal
      const ok = options.authorize
        ? await options.authorize({ action: 'list', meetingId, headers: req.headers })
        : true
      return ok === true ? null : { status: 403, code: 'FORBIDDEN', error: 'not allowed' }
    }
    decide().then(
      (refusal) => {
        if (refusal) {
          if (refusal.status === 401) res.setHeader('WWW-Authenticate', 'Bearer')
          res.status(refusal.status).json({ code: refusal.code, error: refusal.error })
          return
        }
        // Never cached: the list changes with every join and departure.
        res.setHeader('Cache-Control', 'no-store')
        res.json({ peers: directory.list(meetingId) })
      },
      () => res.status(500).json({ code: 'AUTHORIZE_FAILED', error: 'authorize failed' }),
    )
  })
  return router
}
