import type { Participant, ParticipantLeftReason } from '@convene/core'
import { useMeetingInstance } from '@convene/react'
import { useEffect, useState } from 'react'

/** How long a toast stays. */
const TOAST_MS = 5000

const went: Record<ParticipantLeftReason, string> = {
  left: 'left',
  removed: 'was removed by a host',
  disconnected: 'lost connection',
}

interface Toast {
  id: number
  text: string
  kind: 'joined' | 'left'
}

let nextId = 0

/** "Ada joined", "Ada left": a few seconds each, never in the way of a click. */
export function Toasts() {
  const meeting = useMeetingInstance()
  const [toasts, setToasts] = useState<Toast[]>([])

  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>()
    const show = (kind: Toast['kind'], text: string) => {
      const toast = { id: nextId++, text, kind }
      setToasts((list) => [...list, toast])
      const timer = setTimeout(() => {
        timers.delete(timer)
        setToasts((list) => list.filter((t) => t !== toast))
      }, TOAST_MS)
      timers.add(timer)
    }
    const offJoined = meeting.on('participant-joined', (p: Participant) => show('joined', `${p.name} joined`))
    const offLeft = meeting.on('participant-left', (p: Participant, { reason }) =>
      show('left', `${p.name} ${went[reason]}`),
    )
    return () => {
      offJoined()
      offLeft()
      for (const timer of timers) clearTimeout(timer)
    }
  }, [meeting])

  return (
    <output className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.kind}`} data-testid="toast" data-kind={toast.kind}>
          {toast.text}
        </div>
      ))}
    </output>
  )
}
