import type { TokenRequest } from '@convene/server'

/**
 * The playground's token policy: everyone gets the token they ask for, host included. A real app
 * checks who is asking here (its session cookie, its user database) and grants only what they may have.
 */
export function createDevAuthorize(options: { quiet?: boolean } = {}) {
  if (!options.quiet) {
    console.warn(
      '\n  [convene] DEVELOPMENT token policy: POST /token grants every request as asked, so anyone' +
        '\n  who can reach this server can join any meeting, and as host. Never deploy it.\n',
    )
  }
  return (_request: TokenRequest) => true
}
