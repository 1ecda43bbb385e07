import express from 'express'
import type { ResolvedServerOptions } from './options.js'
import type { RoomDirectory } from './roomDirectory.js'

/** Longest meeting id Convene accepts (core's `MAX_ID_LENGTH`). */
const MAX_MEETING_ID_LENGTH = 128

function allowedOrigin(
  option: ResolvedServerOptions['corsOrigin'],
  origin: string | undefined,
): string | null {
  if (origin === undefined) return null
  if (option === true) return origin
  const allowed = typeof option === 'string' ? [option] : option
  return allowed.includes(origin) ? origin : null
}

/**
 * `GET /:meetingId` answers `{ peers }`, the peer ids connected in that meeting. There is deliberately
 * no route that lists meetings: knowing a meeting's id is what lets you find its participants.
 */
export function createDirectoryRouter(
  directory: RoomDirectory,
  options: ResolvedServerOptions,
): express.Router {
  const router = express.Router()
  router.use((req, res, next) => {
    const origin = allowedOrigin(options.corsOrigin, req.headers.origin)
    res.vary('Origin')
    if (origin !== null) {
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS')
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type')
    }
    if (req.method === 'OPTIONS') {
      res.sendStatus(204)
      return
    }
    next()
  })
  router.get('/:meetingId', (req, res) => {
    const meetingId = req.params.meetingId
    if (meetingId.length === 0 || meetingId.length > MAX_MEETING_ID_LENGTH) {
      res.status(400).json({ error: `meetingId must be 1-${MAX_MEETING_ID_LENGTH} characters` })
      return
    }
    const allowed = options.authorize
      ? Promise.resolve().then(() => options.authorize!({ action: 'list', meetingId, headers: req.headers }))
      : Promise.resolve(true)
    allowed.then(
      (ok) => {
        if (ok !== true) {
          res.status(403).json({ error: 'not allowed' })
          return
        }
        // Never cached: the list changes with every join and departure.
        res.setHeader('Cache-Control', 'no-store')
        res.json({ peers: directory.list(meetingId) })
      },
      () => res.status(500).json({ error: 'authorize failed' }),
    )
  })
  return router
}
