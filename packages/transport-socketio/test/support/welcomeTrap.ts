import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP hop between one client and a relay that reads the WebSocket frames the server sends (unmasked,
 * so plain to read) and, once armed, loses the next `welcome` in a drop: it swallows that frame, passes
 * on the next one that carries a recovery offset (a `peers-joined`, through the adapter), then cuts
 * every open connection. New connections are let through, so the client's reconnect is recovered by
 * Socket.IO: the drop a welcome (sent to its socket only) cannot be replayed from.
 */
export interface WelcomeTrap {
  readonly url: string
  /** Connections made through the trap so far. */
  readonly connections: number
  /** Welcomes swallowed so far. */
  readonly swallowed: number
  close(): Promise<void>
}

/** A server's WebSocket frames, one at a time, from a byte stream that may split or join them. */
class FrameReader {
  private buffer = Buffer.alloc(0)
  private upgraded = false

  /** The chunks to pass on, each a whole HTTP head or frame, with its text when it is a text frame. */
  read(chunk: Buffer): { bytes: Buffer; text?: string }[] {
    this.buffer = Buffer.concat([this.buffer, chunk])
    const out: { bytes: Buffer; text?: string }[] = []
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n')
      if (end === -1) return out
      out.push({ bytes: this.buffer.subarray(0, end + 4) })
      this.buffer = this.buffer.subarray(end + 4)
      this.upgraded = true
    }
    for (;;) {
      if (this.buffer.length < 2) return out
      const opcode = this.buffer[0]! & 0x0f
      let length = this.buffer[1]! & 0x7f
      let offset = 2
      if (length === 126) {
        if (this.buffer.length < 4) return out
        length = this.buffer.readUInt16BE(2)
        offset = 4
      } else if (length === 127) {
        if (this.buffer.length < 10) return out
        length = Number(this.buffer.readBigUInt64BE(2))
        offset = 10
      }
      if (this.buffer.length < offset + length) return out
      const bytes = this.buffer.subarray(0, offset + length)
      const payload = this.buffer.subarray(offset, offset + length)
      out.push(opcode === 1 ? { bytes, text: payload.toString('utf8') } : { bytes })
      this.buffer = this.buffer.subarray(offset + length)
    }
  }
}

export async function welcomeTrap(target: { host: string; port: number }): Promise<WelcomeTrap> {
  const open = new Set<Socket>()
  let connections = 0
  let swallowed = 0
  /** Armed: the next welcome is swallowed; then the next frame with an offset springs the cut. */
  let state: 'armed' | 'swallowed' | 'sprung' = 'armed'
  const cutAll = () => {
    for (const socket of open) socket.destroy()
    open.clear()
  }
  const server: Server = createServer((client) => {
    connections++
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
    client.pipe(upstream)
    const frames = new FrameReader()
    upstream.on('data', (chunk: Buffer) => {
      for (const { bytes, text } of frames.read(chunk)) {
        if (state === 'armed' && text?.startsWith('42["welcome"')) {
          swallowed++
          state = 'swallowed'
          continue
        }
        // Socket.IO appends a recovery offset (a string) to what goes through the adapter: once the
        // client has read one, the cut is recovered.
        if (state === 'swallowed' && text?.startsWith('42["peers-joined"')) {
          state = 'sprung'
          client.write(bytes, () => setTimeout(cutAll, 100))
        } else client.write(bytes)
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections
    },
    get swallowed() {
      return swallowed
    },
    close: () =>
      new Promise<void>((resolve) => {
        cutAll()
        server.close(() => resolve())
      }),
  }
}
