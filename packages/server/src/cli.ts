#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { createConveneServer } from './createConveneServer.js'

const usage = `Usage: convene-server [--host 127.0.0.1] [--port 9000] [--path /peerjs] [--key peerjs]

Runs PeerServer and the Convene room directory. Binds to 127.0.0.1 unless --host says otherwise.`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      path: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const port = values.port === undefined ? 9000 : Number(values.port)
  const server = await createConveneServer({ host: values.host, port, path: values.path, key: values.key })
  console.log(
    `convene-server listening on ${server.url} (PeerServer at ${server.path}, rooms at ${server.directoryPath})`,
  )
  const stop = () => {
    void server.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  console.error(usage)
  process.exit(1)
})
