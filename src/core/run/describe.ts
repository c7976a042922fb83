import type { Next } from './events.js'

/** What follows a failure or a decision, in words. */
export function describeNext(next: Next): string {
  switch (next.kind) {
    case 'pass':
      return `→ ${next.stage} passes`
    case 'rerun':
      return `→ ${next.stage} runs again with the feedback`
    case 'reopen': {
      const budget = next.budget + (next.extra_loop ?? 0)
      const loop = budget > 0 ? ` (loop ${next.loop} of ${budget})` : ''
      return `→ re-opens ${next.stage}${loop}: ${next.context.summary}`
    }
    case 'escalate': {
      const sides = next.conflict.agents.map((a) => `${a.agent} (${a.authority})`).join(' vs ')
      if (next.arbiter !== 'human')
        return `→ escalation ${next.escalation_id} to ${next.arbiter.agent}: ${sides}: ${next.conflict.topic}`
      const [raiser, other] = next.conflict.agents
      return (
        `→ escalation ${next.escalation_id} needs a person: ${sides}: ${next.conflict.topic}\n` +
        `    answer with: macds approve ${next.escalation_id} (uphold ${raiser?.agent})  |  macds reject ${next.escalation_id} (uphold ${other?.agent}) [--reason TEXT]`
      )
    }
    case 'fail_run':
      return `→ the run fails: ${next.message}`
  }
}
