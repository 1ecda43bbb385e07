import type { MeetingError } from '../../src/index.js'

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<MeetingError> {
  try {
    await promise
  } catch (error) {
    return error as MeetingError
  }
  throw new Error('expected a rejection')
}
