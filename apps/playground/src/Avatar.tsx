/** Initials on a colour derived from the name, for participants without video. */
export function Avatar({ name, testId = 'avatar' }: { name: string; testId?: string }) {
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((word) => word[0]?.toUpperCase())
      .join('') || '?'
  let hue = 0
  for (const char of name) hue = (hue * 31 + char.charCodeAt(0)) % 360
  return (
    <div className="avatar" data-testid={testId} style={{ background: `hsl(${hue} 45% 40%)` }}>
      {initials}
    </div>
  )
}
