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

/** A key from `CONVENE_SIGNING_KEY`: the PEM or JWK itself, or else the path of a file holding it. */
async function keyText(flag: string | undefined, env: string | undefined): Promise<string | null> {
  if (flag !== undefined) return readFile(flag, 'utf8')
  if (env === undefined || env.trim() === '') return null
  const inline = env.trimStart()
  return inline.startsWith('-----BEGIN') || inline.startsWith('{') ? env : readFile(env, 'utf8')
}

async function loadKey(text: string): Promise<SigningKey> {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    let jwk: unknown
    try {
      jwk = JSON.parse(trimmed)
    } catch {
      throw new Error('the signing key file is neither a PKCS#8 PEM nor JWK JSON')
    }
    return importSigningKey(jwk as Parameters<typeof importSigningKey>[0])
  }
  return importSigningKey(trimmed)
}

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
  const text = await keyText(flags.signingKey, env.CONVENE_SIGNING_KEY)
  if (text === null && !flags.allowAll) {
    if (flags.expiresIn !== undefined) throw new Error('--expires-in needs --signing-key or --allow-all')
    return undefined
  }
  let signingKey: SigningKey
  if (text === null) {
    signingKey = await generateSigningKey()
    log('no --signing-key: a fresh key for this run; its tokens stop verifying when it exits')
  } else signingKey = await loadKey(text)
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
