import { useEffect, useRef } from 'react'

/** A `<video>` playing a MediaStream (srcObject has no JSX attribute, hence the effect). */
export function VideoView({ stream, muted }: { stream: MediaStream; muted: boolean }) {
  const ref = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    const video = ref.current
    if (!video) return
    video.srcObject = stream
    // Autoplay may be refused until the user interacts; the tile still shows the first frame.
    void video.play().catch(() => {})
    return () => {
      video.srcObject = null
    }
  }, [stream])
  return <video ref={ref} autoPlay playsInline muted={muted} />
}
