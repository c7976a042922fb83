/**
 * A cheap estimate of how many model tokens a text costs: one token per four characters, rounded up.
 * Good enough to fit text into a budget; it errs high for prose and low for dense code.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}
