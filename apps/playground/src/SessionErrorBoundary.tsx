import { Component, type ReactNode } from 'react'

interface Props {
  children: ReactNode
  onExit: () => void
}

/**
 * What the page shows when the meeting could not even be made (an option core refuses with
 * `INVALID_OPTION`, thrown while rendering the provider): the reason and a way back, instead of a
 * blank page.
 */
export class SessionErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override render() {
    const { error } = this.state
    if (error === null) return this.props.children
    return (
      <div className="layout">
        <section className="panel over" data-testid="session-error" role="alert">
          <h2>The meeting could not start</h2>
          <p className="warn">{error.message}</p>
          <button type="button" onClick={this.props.onExit}>
            Back to lobby
          </button>
        </section>
      </div>
    )
  }
}
