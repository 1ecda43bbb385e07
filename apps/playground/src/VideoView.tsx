import { useEffect, useRef, useState } from 'react'
import { Avatar } from './Avatar.js'

/**
 * A `<video>` playing a MediaStream (srcObject has no JSX attribute, hence the effect). Until the first
 * frame is decoded it shows the participant's initials and says it is waiting, rather than a black box.
 */
export function VideoView({ stream, muted, name }: { stream: MediaStream; muted: boolean; name: string }) {
  const ref = useRef<HTMLVideoElement>(null)
  const [hasFrame, setHasFrame] = useState(false)
  useEffect(() => {
    const video = ref.current
    if (!video) return
    setHasFrame(false)
    const check = () => setHasFrame(video.readyState >= 2 && video.videoWidth > 0)
    video.addEventListener('loadeddata', check)
    video.addEventListener('resize', check)
    video.srcObject = stream
    // Autoplay may be refused until the user interacts; the tile still shows the first frame.
    void video.play().catch(() => {})
    check()
    return () => {
      video.removeEventListener('loadeddata', check)
      video.removeEventListener('resize', check)
      video.srcObject = null
    }
  }, [stream])
  return (
    <div className="video" data-frame={hasFrame ? 'yes' : 'waiting'}>
      <video ref={ref} autoPlay playsInline muted={muted} />
      {!hasFrame && (
        <div className="video-waiting" data-testid="video-waiting">
          <Avatar name={name} testId="video-waiting-avatar" />
          <span>Waiting for video…</span>
        </div>
      )}
    </div>
  )
}
