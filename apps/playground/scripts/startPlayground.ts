import { fileURLToPath } from 'node:url'
import {
  type ConveneServer,
  createConveneServer,
  generateSigningKey,
  type LevelWithSilent,
} from '@convene/server'
import react from '@vitejs/plugin-react'
import { pino } from 'pino'
import pretty from 'pino-pretty'
import { createServer, type ViteDevServer } from 'vite'
import { createDevAuthorize } from './devAuthorize.js'

export interface StartPlaygroundOptions {
  /** The interface both servers listen on. Defaults to `'127.0.0.1'` (this machine only). */
  host?: string
  /** The playground's HTTP port. Defaults to `5173`; `0` lets the system pick a free one. */
  port?: number
  /** The Convene server's (PeerServer + room directory) port. Defaults to `0`: any free port. */
  serverPort?: number
  /** Vite's log level. Defaults to `'info'`. */
  logLevel?: 'info' | 'warn' | 'error' | 'silent'
  /**
   * The Convene server's log level (pretty-printed: tokens, peers, refusals). Defaults to `'info'` when
   * `logLevel` is `'info'` or `'warn'`, else to `logLevel`.
   */
  serverLogLevel?: LevelWithSilent
}

export interface RunningPlayground {
  /** The page to open, such as `http://127.0.0.1:5173/`. */
  readonly url: string
  /** The Convene server the page's transport talks to. */
  readonly server: ConveneServer
  /** Stops Vite and the Convene server. Idempotent. */
  close(): Promise<void>
}

/** What the page needs to reach the Convene server; Vite replaces `__CONVENE_SERVER__` with it. */
export interface PlaygroundServerConfig {
  host: string
  port: number
  path: string
  /** Where the page asks for its participant token (`POST`). */
  tokenUrl: string
  /** Where the page's meeting fetches the public keys that verify every peer's token. */
  jwksUrl: string
}

/** Long enough for a day of playing: newcomers check every present participant's token. */
const TOKEN_LIFETIME = '12h'

const appRoot = fileURLToPath(new URL('..', import.meta.url))
const source = (pkg: string) =>
  fileURLToPath(new URL(`../../../packages/${pkg}/src/index.ts`, import.meta.url))

/**
 * Starts `@convene/server` and the playground's Vite dev server, with `@convene/*` resolved to their
 * sources so nothing needs building first. `npm start` and the e2e tests both go through here.
 */
export async function startPlayground(options: StartPlaygroundOptions = {}): Promise<RunningPlayground> {
  const host = options.host ?? '127.0.0.1'
  const logLevel = options.logLevel ?? 'info'
  const serverLogLevel = options.serverLogLevel ?? (logLevel === 'warn' ? 'info' : logLevel)
  // A fresh key per start: tokens from an earlier run stop verifying, which a playground can afford.
  const server = await createConveneServer({
    host,
    port: options.serverPort ?? 0,
    // The server's JSON log, made readable for a terminal.
    logger: pino(
      { name: 'convene-server', level: serverLogLevel },
      pretty({ ignore: 'pid,hostname', singleLine: true }),
    ),
    auth: {
      signingKey: await generateSigningKey(),
      authorize: createDevAuthorize({ quiet: logLevel === 'error' || logLevel === 'silent' }),
      expiresIn: TOKEN_LIFETIME,
    },
  })
  const config: PlaygroundServerConfig = {
    host: server.host,
    port: server.port,
    path: server.path,
    tokenUrl: server.tokenUrl!,
    jwksUrl: server.jwksUrl!,
  }
  let vite: ViteDevServer
  try {
    vite = await createServer({
      configFile: false,
      root: appRoot,
      logLevel,
      clearScreen: false,
      plugins: [react()],
      define: { __CONVENE_SERVER__: JSON.stringify(config) },
      resolve: {
        alias: {
          // Before the package: a string alias also maps subpaths, and the first match wins.
          '@convene/core/wire': fileURLToPath(
            new URL('../../../packages/core/src/wire/index.ts', import.meta.url),
          ),
          '@convene/core': source('core'),
          '@convene/react': source('react'),
          '@convene/transport-peerjs': source('transport-peerjs'),
        },
      },
      // Pre-bundled up front: a dependency discovered on first load makes Vite reload the page mid-join.
      optimizeDeps: {
        entries: ['index.html'],
        include: [
          'react',
          'react-dom',
          'react-dom/client',
          'react/jsx-dev-runtime',
          'xstate',
          'peerjs',
          '@statelyai/inspect',
        ],
      },
      server: { host, port: options.port ?? 5173, strictPort: false },
    })
    await vite.listen()
  } catch (error) {
    await server.close()
    throw error
  }
  const url = vite.resolvedUrls?.local[0] ?? `http://${host}:${vite.config.server.port}/`
  let closing: Promise<void> | undefined
  return {
    url,
    server,
    close() {
      closing ??= Promise.all([vite.close(), server.close()]).then(() => undefined)
      return closing
    },
  }
}
