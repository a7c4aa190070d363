/**
 * A small horizontal bar chart (SVG, no dependencies): route vs floor req/s per benchmark,
 * with the aim (a share of the floor) as a dashed tick across the route's bar, and each
 * side's server CPU time per request beside its figure.
 */
interface ChartSide {
  rps: number
  cpu_us_per_req?: number
}

export function renderChart(
  pairs: Array<{ name: string; ratio: number; aim?: number; route: ChartSide; floor: ChartSide }>,
  footer: string,
): string {
  const width = 920
  const rowHeight = 56
  const left = 340
  const barMax = width - left - 190
  const max = Math.max(1, ...pairs.flatMap((p) => [p.route.rps, p.floor.rps]))
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  const figure = (side: ChartSide) =>
    `${side.rps.toLocaleString('en')} req/s${side.cpu_us_per_req === undefined ? '' : `, ${side.cpu_us_per_req} µs CPU/req`}`
  const rows = pairs
    .map((p, i) => {
      const y = 40 + i * rowHeight
      const rw = (p.route.rps / max) * barMax
      const fw = (p.floor.rps / max) * barMax
      const aimX = p.aim === undefined ? null : left + ((p.aim * p.floor.rps) / max) * barMax
      const aim =
        aimX === null
          ? ''
          : `
  <line x1="${aimX.toFixed(1)}" y1="${y - 3}" x2="${aimX.toFixed(1)}" y2="${y + 19}" stroke="#dc2626" stroke-width="2" stroke-dasharray="3,2"/>`
      const verdict = p.aim === undefined ? '' : ` (aim ${Math.round(p.aim * 100)}%: ${p.ratio >= p.aim ? 'met' : 'not met'})`
      return `
  <text x="10" y="${y + 14}" font-size="12">${esc(p.name)}</text>
  <text x="10" y="${y + 32}" font-size="12" fill="#555">${Math.round(p.ratio * 100)}% of floor${verdict}</text>
  <rect x="${left}" y="${y}" width="${rw.toFixed(1)}" height="16" fill="#2563eb"/>
  <text x="${(left + Math.max(rw, aimX === null ? 0 : aimX - left) + 6).toFixed(1)}" y="${y + 12}" font-size="11">${figure(p.route)}</text>
  <rect x="${left}" y="${y + 20}" width="${fw.toFixed(1)}" height="16" fill="#9ca3af"/>
  <text x="${(left + fw + 6).toFixed(1)}" y="${y + 32}" font-size="11">${figure(p.floor)}</text>${aim}`
    })
    .join('')
  const height = 70 + pairs.length * rowHeight
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="10" y="22" font-size="14" font-weight="600">Crewbase route (blue) vs raw Bun.serve + bun:sqlite floor (grey); red dash = aim</text>${rows}
  <text x="10" y="${height - 10}" font-size="11" fill="#555">${esc(footer)}</text>
</svg>
`
}
