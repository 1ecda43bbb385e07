import type { ErrorRequestHandler, RequestHandler, Response } from 'express'
import type { Logger } from 'pino'

/**
 * The stable codes of the server's JSON error bodies (`{ code, error }`). Match on `code`; `error` is
 * for people and never holds a stack trace or a file path.
 */
export type ServerErrorCode =
  | 'INVALID_BODY'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_URL'
  | 'INVALID_MEETING_ID'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNAUTHORIZED'
  | 'INVALID_PROOF'
  | 'FORBIDDEN'
  | 'TOKEN_REFUSED'
  | 'TOKENS_DISABLED'
  | 'AUTHORIZE_FAILED'
  | 'BUSY'
  | 'BAD_REQUEST'
  | 'INTERNAL_ERROR'

/** The JSON body of every error the server answers, whatever the route: no stack, nothing else. */
export interface ServerErrorBody {
  /** What went wrong, stable: match on it. */
  code: ServerErrorCode
  /** What went wrong, for people: may change in any version. */
  error: string
}

export function sendError(res: Response, status: number, code: ServerErrorCode, error: string): void {
  res.status(status).json({ code, error } satisfies ServerErrorBody)
}

/** Answers `405` with the methods a route does take. */
export function methodNotAllowed(allow: string): RequestHandler {
  return (_req, res) => {
    res.setHeader('Allow', allow)
    sendError(res, 405, 'METHOD_NOT_ALLOWED', `use ${allow.replace(/, OPTIONS$/, '')}`)
  }
}

/** The last route: whatever nothing else answered. */
export const notFound: RequestHandler = (_req, res) => {
  sendError(res, 404, 'NOT_FOUND', 'no such route')
}

interface HttpishError {
  type?: unknown
  status?: unknown
  statusCode?: unknown
  code?: unknown
}

/** What a client is told for an error some middleware (body-parser, Express's router, `peer`) raised. */
function describe(error: unknown): [number, ServerErrorCode, string] | null {
  const {
    type,
    status,
    statusCode,
    code: errorCode,
  } = (typeof error === 'object' && error !== null ? error : {}) as HttpishError
  switch (type) {
    case 'entity.too.large':
      return [413, 'INVALID_BODY', 'body too large']
    case 'entity.parse.failed':
      return [400, 'INVALID_BODY', 'the body must be JSON']
    case 'charset.unsupported':
      return [415, 'UNSUPPORTED_MEDIA_TYPE', 'the body must be UTF-8 JSON (no other charset)']
    case 'encoding.unsupported':
      return [415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body without a Content-Encoding']
    case 'request.aborted':
    case 'request.size.invalid':
      return [400, 'INVALID_BODY', 'the body was cut short']
  }
  // zlib's own codes: a body that says gzip or deflate and is not.
  if (typeof errorCode === 'string' && errorCode.startsWith('Z_')) {
    return [400, 'INVALID_BODY', 'the body does not match its Content-Encoding']
  }
  // Express's router raises this for a path segment such as `%E0%A4%A`, before any route runs.
  if (error instanceof URIError) return [400, 'INVALID_URL', 'the URL has a malformed % escape']
  const code = typeof status === 'number' ? status : statusCode
  if (typeof code === 'number' && code >= 400 && code < 500) return [code, 'BAD_REQUEST', 'bad request']
  return null
}

/**
 * The last error handler: every error becomes `{ code, error }` JSON. Express's own handler would send
 * an HTML page with the stack trace and absolute paths, and print the stack on stderr. A client's bad
 * request is logged at `debug`, without its stack; anything else is a server bug, logged at `error` with
 * its stack for the operator (the client gets 500 and nothing more).
 */
export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = describe(error)
    const where = { method: req.method, path: req.path }
    if (known) log.debug({ event: 'request.refused', ...where, status: known[0], code: known[1] }, known[2])
    else log.error({ event: 'request.failed', ...where, err: error }, 'unexpected error')
    if (res.headersSent) {
      // Half an answer cannot be mended: end the connection, as Express would.
      req.socket.destroy()
      return
    }
    const [status, code, message] = known ?? [500, 'INTERNAL_ERROR', 'internal error']
    sendError(res, status, code, message)
  }
}
