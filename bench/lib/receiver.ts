/** A loopback webhook receiver for the benches: counts deliveries and notes when they arrive. */
export function startReceiver() {
  let count = 0
  let lastAt = 0
  const waiters: Array<{ count: number; resolve: (at: number) => void }> = []
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      await request.arrayBuffer()
      count++
      lastAt = performance.now()
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (count >= waiters[i]!.count) waiters.splice(i, 1)[0]!.resolve(lastAt)
      }
      return new Response('ok')
    },
  })
  const waitForCount = (target: number) =>
    new Promise<number>((resolve) => (count >= target ? resolve(lastAt) : waiters.push({ count: target, resolve })))
  return {
    url: `http://127.0.0.1:${server.port}/hook`,
    get count() {
      return count
    },
    /** Resolves with the arrival time (performance.now()) of the next delivery. */
    next: () => waitForCount(count + 1),
    /** Resolves with the arrival time of delivery number `target`; rejects after `timeoutMs`. */
    async waitForCount(target: number, timeoutMs: number): Promise<number> {
      let timer: Timer | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`only ${count} of ${target} deliveries after ${timeoutMs} ms`)), timeoutMs)
      })
      try {
        return await Promise.race([waitForCount(target), timeout])
      } finally {
        clearTimeout(timer)
      }
    },
    stop: () => server.stop(true),
  }
}
