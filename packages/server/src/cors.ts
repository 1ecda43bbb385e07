import type { RequestHandler } from 'express'
import type { ResolvedServerOptions } from './options.js'

function allowedOrigin(
  option: ResolvedServerOptions['corsOrigin'],
  origin: string | undefined,
): string | null {
  if (origin === undefined) return null
  if (option === true) return origin
  const allowed = typeof option === 'string' ? [option] : option
  return allowed.includes(origin) ? origin : null
}

/** CORS for the server's JSON routes: the allowed origin is reflected, preflights answer 204. */
export function cors(
  option: ResolvedServerOptions['corsOrigin'],
  methods: string,
  extraHeaders: readonly string[] = [],
): RequestHandler {
  return (req, res, next) => {
    const origin = allowedOrigin(option, req.headers.origin)
    res.vary('Origin')
    if (origin !== null) {
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Access-Control-Allow-Methods', `${methods}, OPTIONS`)
      res.setHeader(
        'Access-Control-Allow-Headers',
        ['Authorization', 'Content-Type', ...extraHeaders].join(', '),
      )
    }
    if (req.method === 'OPTIONS') {
      res.sendStatus(204)
      return
    }
    next()
  }
}
