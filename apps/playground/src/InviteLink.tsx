import { useRef, useState } from 'react'
import { inviteLink } from './lobbyChoice.js'

/** The link that brings another tab or browser into this very meeting, with a button that copies it. */
export function InviteLink({ meetingId, alone }: { meetingId: string; alone: boolean }) {
  const link = inviteLink(meetingId)
  const box = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no')

  async function copy() {
    try {
      await navigator.clipboard.writeText(link)
      setCopied('yes')
    } catch {
      // No clipboard (permission refused, or not a secure context): the link is selected to copy by hand.
      box.current?.select()
      setCopied('failed')
    }
  }

  return (
    <div className="invite" data-testid="invite">
      <button type="button" data-testid="copy-invite" onClick={() => void copy()}>
        Copy invite link
      </button>
      <input
        ref={box}
        readOnly
        aria-label="Invite link"
        data-testid="invite-link"
        value={link}
        onFocus={(e) => e.target.select()}
      />
      <span className="muted" role="status">
        {copied === 'yes'
          ? 'Copied. Open it in another tab or browser to add a participant.'
          : copied === 'failed'
            ? 'Could not copy: the link is selected, copy it by hand.'
            : alone
              ? 'You are alone here: open the invite link in another tab or browser to add a participant.'
              : null}
      </span>
    </div>
  )
}
