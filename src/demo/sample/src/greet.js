/** A greeting for someone by name; a missing or blank name greets the world. */
export function greet(name = '') {
  return `Hello, ${name.trim() || 'world'}!`
}
