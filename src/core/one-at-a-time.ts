/**
 * A queue that runs the tasks given to it one after another, each once the one before it has settled
 * (whether it failed or not). A task is called with no arguments.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve()
  return <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(
      () => task(),
      () => task(),
    )
    queue = next.catch(() => undefined)
    return next
  }
}
