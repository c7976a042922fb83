import type { AgentBudgets } from './types.js'
import { addUsage, NO_USAGE, type TokenUsage } from '../providers/types.js'

/** Why an agent may not make another call, or undefined when it may. */
export type BudgetRefusal = string | undefined

/**
 * What each agent has spent in one run: tokens and cost across all its stages, and calls per stage.
 * Every attempt is charged, repairs and failed calls included.
 */
export class BudgetLedger {
  private readonly usageByAgent = new Map<string, TokenUsage>()
  private readonly costByAgent = new Map<string, number>()
  private readonly callsByStage = new Map<string, number>()

  /** Records one call of `agent` for `stage` and what it used. */
  charge(agent: string, stage: string, usage: TokenUsage, cost: number): void {
    this.usageByAgent.set(agent, addUsage(this.usage(agent), usage))
    this.costByAgent.set(agent, this.cost(agent) + cost)
    const key = `${agent}/${stage}`
    this.callsByStage.set(key, (this.callsByStage.get(key) ?? 0) + 1)
  }

  usage(agent: string): TokenUsage {
    return this.usageByAgent.get(agent) ?? NO_USAGE
  }

  tokens(agent: string): number {
    const u = this.usage(agent)
    return u.prompt_tokens + u.completion_tokens
  }

  cost(agent: string): number {
    return this.costByAgent.get(agent) ?? 0
  }

  calls(agent: string, stage: string): number {
    return this.callsByStage.get(`${agent}/${stage}`) ?? 0
  }

  /** Why `agent` may not call a model again for `stage` under `budgets`; undefined when it may. */
  refusal(agent: string, stage: string, budgets: AgentBudgets): BudgetRefusal {
    const tokens = this.tokens(agent)
    if (tokens >= budgets.tokens_per_run) {
      return `${agent} has used ${tokens} tokens of its ${budgets.tokens_per_run} for this run`
    }
    const calls = this.calls(agent, stage)
    if (calls >= budgets.calls_per_stage) {
      return `${agent} has made ${calls} calls of its ${budgets.calls_per_stage} for stage ${stage}`
    }
    return undefined
  }
}
