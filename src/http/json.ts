/**
 * Whether a parsed JSON value nests deeper than `max` levels. JSON.parse accepts
 * hundreds of thousands of levels but JSON.stringify overflows the stack on them, so
 * free-form objects we store are checked first. Iterative, so the check cannot overflow.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (current === null || typeof current !== 'object') continue
    if (depth > max) return true
    for (const child of Object.values(current)) stack.push([child, depth + 1])
  }
  return false
}
