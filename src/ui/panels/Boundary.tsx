import { Component, type ReactNode } from 'react'
import { Text } from 'ink'

/** Keeps one panel's crash inside the panel: the rest of the screen, and the run, go on. */
export class Boundary extends Component<{ name: string; children: ReactNode }, { error: Error | undefined }> {
  override state = { error: undefined as Error | undefined }

  static getDerivedStateFromError(error: Error) {
    return { error }
  }

  override render() {
    if (this.state.error)
      return (
        <Text color="red">
          The {this.props.name} panel failed: {this.state.error.message}. This is a bug in macds; please
          report it.
        </Text>
      )
    return this.props.children
  }
}
