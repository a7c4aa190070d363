import { conflict } from './errors'

export interface Transition<S extends string> {
  from: readonly S[]
  to: S
}

/**
 * A resource's state machine as one table of actions: `next(action, current)` answers the
 * new status or throws 409 `conflict` naming what is allowed, before anything is written.
 */
export function defineStatusMachine<S extends string, A extends string>(resource: string, transitions: Record<A, Transition<S>>) {
  return {
    transitions,
    next(action: A, current: S): S {
      const transition = transitions[action]
      if (!transition.from.includes(current)) {
        const a = /^[aeiou]/i.test(resource) ? 'an' : 'a'
        throw conflict(
          `Cannot ${action.replace(/_/g, ' ')} ${a} ${resource} that is ${current}; only ${a} ${resource} that is ${transition.from.join(' or ')} can be`,
        )
      }
      return transition.to
    },
  }
}
