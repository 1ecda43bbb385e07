import { readFile } from 'node:fs/promises'
import type { ConveneServerAuth, TokenRequest } from './auth/authOptions.js'
import { generateSigningKey, importSigningKey, type SigningKey } from './auth/signingKey.js'

/** The CLI's auth flags, as parsed. */
export interface AuthFlags {
  /** `--signing-key`: a file holding a PKCS#8 PEM or a private JWK (JSON). */
  signingKey?: string
  /** `--allow-all`: grant every token request as asked (development only). */
  allowAll?: boolean
  /** `--expires-in`: the lifetime of issued tokens (seconds, or a span such as `2h`). */
  expiresIn?: string
}

const ALLOW_ALL_WARNING =
  'DEVELOPMENT token policy (--allow-all): POST /token grants every request as asked, so anyone who ' +
  'can reach this server can join any meeting, and as host. Never deploy it.'

/** What `POST /token` answers when the CLI has a key but no token policy. */
const NO_POLICY_REFUSAL =
  'this convene-server issues no tokens: it runs with --signing-key and no token policy, so POST /token ' +
  'refuses every request. Issue tokens in your backend with createToken() and the same key, or run ' +
  'createConveneServer with an auth.authorize hook that allows them; for development only, restart ' +
  'with --allow-all (grants every request as asked).'

/** How to make a key the CLI takes, told with every refusal of one: the step a first deployment lacks. */
export const KEY_HINT =
  'make one with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signing-key.pem`'

/** The key's text and where it came from (for errors); `null` when neither the flag nor the env names one. */
async function keyText(
  flag: string | undefined,
  env: string | undefined,
): Promise<{ text: string; source: string } | null> {
  if (flag !== undefined) return { text: await readFile(flag, 'utf8'), source: `--signing-key ${flag}` }
  if (env === undefined || env.trim() === '') return null
  const inline = env.trimStart()
  return inline.startsWith('-----BEGIN') || inline.startsWith('{')
    ? { text: env, source: 'CONVENE_SIGNING_KEY' }
    : { text: await readFile(env, 'utf8'), source: `CONVENE_SIGNING_KEY=${env}` }
}

/**
 * Imports the key, or throws one line naming where it came from: the API's own refusal says
 * "Invalid option `key`", and `--key` is another flag (PeerServer's key) on this command line.
 */
async function loadKey({ text, source }: { text: string; source: string }): Promise<SigningKey> {
  const trimmed = text.trim()
  const refuse = (why: string) =>
    new Error(`${source} is not a signing key: ${why}; ${KEY_HINT}`, { cause: why })
  if (trimmed.startsWith('-----BEGIN EC PRIVATE KEY-----')) {
    // What `openssl ecparam -genkey` writes: the right key in another envelope.
    throw new Error(
      `${source} is a SEC1 key ("BEGIN EC PRIVATE KEY"), not PKCS#8: convert it with \`openssl pkcs8 -topk8 -nocrypt -in <file> -out signing-key.pem\`, or ${KEY_HINT}`,
    )
  }
  if (trimmed.startsWith('{')) {
    let jwk: unknown
    try {
      jwk = JSON.parse(trimmed)
    } catch {
      throw refuse('neither a PKCS#8 PEM nor JWK JSON')
    }
    return importSigningKey(jwk as Parameters<typeof importSigningKey>[0]).catch((error: unknown) => {
      throw refuse(reasonOf(error))
    })
  }
  return importSigningKey(trimmed).catch((error: unknown) => {
    throw refuse(reasonOf(error))
  })
}

/** An import error's reason, without the API's "Invalid option `key`: " prefix. */
const reasonOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error))
    .replace(/^Invalid option `key`: /, '')
    .replace(/\.$/, '')

/**
 * `auth` from the flags, or `undefined` when none asks for it (the server then runs as before, without
 * tokens). With a key and no `--allow-all`, tokens are issued by the app's own backend (`createToken`
 * with the same key), so this server's `POST /token` refuses every request.
 */
export async function authFromFlags(
  flags: AuthFlags,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<ConveneServerAuth | undefined> {
  const key = await keyText(flags.signingKey, env.CONVENE_SIGNING_KEY)
  if (key === null && !flags.allowAll) {
    if (flags.expiresIn !== undefined) throw new Error('--expires-in needs --signing-key or --allow-all')
    return undefined
  }
  let signingKey: SigningKey
  if (key === null) {
    signingKey = await generateSigningKey()
    log('no --signing-key: a fresh key for this run; its tokens stop verifying when it exits')
  } else signingKey = await loadKey(key)
  if (flags.allowAll) log(ALLOW_ALL_WARNING)
  else {
    log(
      'no token policy: POST /token refuses every request. Issue tokens with createToken() and this key ' +
        '(or createConveneServer with an auth.authorize hook); --allow-all grants all, for development',
    )
  }
  return {
    signingKey,
    authorize: flags.allowAll ? () => true : (_request: TokenRequest) => false,
    ...(flags.allowAll ? {} : { refusal: NO_POLICY_REFUSAL }),
    ...(flags.expiresIn === undefined ? {} : { expiresIn: flags.expiresIn }),
  }
}
