/**
 * The `limit` highest-scoring items offered, kept in a binary min-heap: offering is O(log limit), and
 * `floor` tells the caller the score an item must beat to get in, so it can skip costly work.
 */
export class TopScores<T> {
  private readonly scores: number[] = []
  private readonly items: T[] = []

  constructor(private readonly limit: number) {}

  /** The score to beat: the lowest kept once full, -Infinity before. */
  get floor(): number {
    return this.scores.length < this.limit ? Number.NEGATIVE_INFINITY : (this.scores[0] ?? 0)
  }

  /** True when items were turned away (or pushed out): there were more than `limit`. */
  overflowed = false

  offer(score: number, item: () => T): void {
    if (this.scores.length < this.limit) {
      this.scores.push(score)
      this.items.push(item())
      this.up(this.scores.length - 1)
      return
    }
    this.overflowed = true
    if (score <= (this.scores[0] ?? 0)) return
    this.scores[0] = score
    this.items[0] = item()
    this.down(0)
  }

  /** The kept items, highest score first. */
  sorted(compare: (a: T, b: T) => number): T[] {
    return [...this.items].sort(compare)
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.at(parent) <= this.at(i)) return
      this.swap(i, parent)
      i = parent
    }
  }

  private down(i: number): void {
    const n = this.scores.length
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let least = i
      if (left < n && this.at(left) < this.at(least)) least = left
      if (right < n && this.at(right) < this.at(least)) least = right
      if (least === i) return
      this.swap(i, least)
      i = least
    }
  }

  private at(i: number): number {
    return this.scores[i] ?? 0
  }

  private swap(a: number, b: number): void {
    const score = this.at(a)
    this.scores[a] = this.at(b)
    this.scores[b] = score
    const item = this.items[a] as T
    this.items[a] = this.items[b] as T
    this.items[b] = item
  }
}
