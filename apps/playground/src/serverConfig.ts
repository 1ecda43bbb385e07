import type { PlaygroundServerConfig } from '../scripts/startPlayground.js'

/** Replaced by Vite (`define` in scripts/startPlayground.ts) with where `npm start` put the Convene server. */
declare const __CONVENE_SERVER__: PlaygroundServerConfig

export const conveneServer = __CONVENE_SERVER__
