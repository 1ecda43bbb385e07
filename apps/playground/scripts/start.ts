import { startPlayground } from './startPlayground.js'

// `npm start`: the Convene server and the playground, until Ctrl-C.
const port = process.env.PORT === undefined ? undefined : Number(process.env.PORT)
const serverPort =
  process.env.CONVENE_SERVER_PORT === undefined ? undefined : Number(process.env.CONVENE_SERVER_PORT)
const playground = await startPlayground({ port, serverPort, logLevel: 'warn' })

console.log(`\n  Convene playground:  ${playground.url}`)
console.log(`  Convene server:      ${playground.server.url}${playground.server.path}`)
console.log(
  "\n  Open the playground, join, then open the room's invite link (Copy invite link) in more tabs to meet\n  yourself. Ctrl-C stops everything.\n",
)

let stopping = false
async function stop(signal: string) {
  if (stopping) process.exit(1) // a second Ctrl-C does not wait
  stopping = true
  console.log(`\n  ${signal}: stopping…`)
  await playground.close()
  // PeerServer keeps housekeeping timers it offers no way to stop, so exit explicitly.
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
