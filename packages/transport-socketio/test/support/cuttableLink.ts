import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP hop between one participant and a server, which the test can cut and restore: a real network
 * cut as the client sees it (open connections die, new ones are refused), while the server only sees
 * its connections close.
 */
export interface CuttableLink {
  readonly url: string
  cut(): Promise<void>
  restore(): Promise<void>
  close(): Promise<void>
}

export async function cuttableLink(target: { host: string; port: number }): Promise<CuttableLink> {
  const open = new Set<Socket>()
  let listener: Server | null = null
  let port = 0
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const server = createServer((client) => {
        const upstream = connect(target.port, target.host)
        open.add(client).add(upstream)
        const drop = () => {
          client.destroy()
          upstream.destroy()
          open.delete(client)
          open.delete(upstream)
        }
        client.on('error', drop).on('close', drop)
        upstream.on('error', drop).on('close', drop)
        client.pipe(upstream).pipe(client)
      })
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port
        listener = server
        resolve()
      })
    })
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of open) socket.destroy()
      open.clear()
      if (!listener) return resolve()
      listener.close(() => resolve())
      listener = null
    })
  await listen()
  return { url: `http://127.0.0.1:${port}`, cut: stop, restore: listen, close: stop }
}
