import type { AgentBudgets } from './types.js'
import type { TokenUsage } from '../providers/types.js'

/** Why an agent may not make another call, or undefined when it may. */
export type BudgetRefusal = string | undefined

interface Spending {
  tokens: number
  cost: number
  /** Calls per stage (or stage visit) key. */
  calls: Map<string, number>
}

/**
 * What each agent has spent in one run: tokens and cost across all its stages, and calls per stage.
 * Every attempt is charged, repairs and failed calls included.
 */
export class BudgetLedger {
  private readonly byAgent = new Map<string, Spending>()

  /** Records one call of `agent` for `stage` and what it used. */
  charge(agent: string, stage: string, usage: TokenUsage, cost: number): void {
    const spent = this.spending(agent)
    spent.tokens += usage.prompt_tokens + usage.completion_tokens
    spent.cost += cost
    spent.calls.set(stage, (spent.calls.get(stage) ?? 0) + 1)
  }

  tokens(agent: string): number {
    return this.byAgent.get(agent)?.tokens ?? 0
  }

  cost(agent: string): number {
    return this.byAgent.get(agent)?.cost ?? 0
  }

  calls(agent: string, stage: string): number {
    return this.byAgent.get(agent)?.calls.get(stage) ?? 0
  }

  /** Why `agent` may not call a model again for `stage` under `budgets`; undefined when it may. */
  refusal(agent: string, stage: string, budgets: AgentBudgets): BudgetRefusal {
    const spent = this.byAgent.get(agent)
    if (!spent) return undefined
    if (spent.tokens >= budgets.tokens_per_run) {
      return `${agent} has used ${spent.tokens} tokens of its ${budgets.tokens_per_run} for this run`
    }
    const calls = spent.calls.get(stage) ?? 0
    if (calls >= budgets.calls_per_stage) {
      return `${agent} has made ${calls} calls of its ${budgets.calls_per_stage} for stage ${stage}`
    }
    return undefined
  }

  private spending(agent: string): Spending {
    let spent = this.byAgent.get(agent)
    if (!spent) {
      spent = { tokens: 0, cost: 0, calls: new Map() }
      this.byAgent.set(agent, spent)
    }
    return spent
  }
}
