/** Messages travel as JSON text; `undefined` for what cannot be encoded (it is not sent). */
export function encode(message: unknown): string | undefined {
  try {
    return JSON.stringify(message)
  } catch {
    return undefined
  }
}

/** Messages travel as JSON text; anything else is handed to core as is, for its validation to reject. */
export function decode(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data) as unknown
  } catch {
    return data
  }
}
