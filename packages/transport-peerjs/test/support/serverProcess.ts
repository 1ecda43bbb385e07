/**
 * A `@convene/server` in a process of its own (so it can run inside a network namespace), on
 * 127.0.0.1 and a free port, which it reports over IPC. It stops when its parent goes.
 */
export {}

const { createConveneServer } = await import('../../../server/src/index.js')

const server = await createConveneServer({ host: '127.0.0.1', port: 0, logger: 'silent' })
process.send?.({ port: server.port })
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0))
})
