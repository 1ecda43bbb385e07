import { MeetingError } from '@convene/core'

/**
 * Refuses a name no option has, as `createMeeting` does: a misspelt option would otherwise be dropped
 * in silence and its default used instead. `known` is a `Record` over the options interface's keys, so
 * an option added to the interface fails to compile until it is named there too.
 */
export function refuseUnknownOptions(given: object, known: Record<string, true>, prefix = ''): void {
  const names = Object.keys(known)
  for (const name of Object.keys(given)) {
    if (Object.hasOwn(known, name)) continue
    const stem = name.toLowerCase().slice(0, 3)
    const near = names.find((option) => option.toLowerCase().startsWith(stem))
    throw MeetingError.invalidOption(
      `${prefix}${name}`,
      `no such option${near ? `; did you mean \`${prefix}${near}\`?` : '.'} Known: ${names.join(', ')}.`,
    )
  }
}
