/** A small horizontal bar chart (SVG, no dependencies): route vs floor req/s per benchmark. */
export function renderChart(pairs: Array<{ name: string; ratio: number; route: { rps: number }; floor: { rps: number } }>): string {
  const width = 760
  const rowHeight = 54
  const left = 300
  const barMax = width - left - 90
  const max = Math.max(1, ...pairs.flatMap((p) => [p.route.rps, p.floor.rps]))
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  const rows = pairs
    .map((p, i) => {
      const y = 40 + i * rowHeight
      const rw = (p.route.rps / max) * barMax
      const fw = (p.floor.rps / max) * barMax
      return `
  <text x="10" y="${y + 14}" font-size="12">${esc(p.name)}</text>
  <text x="10" y="${y + 32}" font-size="12" fill="#555">${Math.round(p.ratio * 100)}% of floor</text>
  <rect x="${left}" y="${y}" width="${rw.toFixed(1)}" height="16" fill="#2563eb"/>
  <text x="${(left + rw + 6).toFixed(1)}" y="${y + 12}" font-size="11">${p.route.rps.toLocaleString('en')} req/s</text>
  <rect x="${left}" y="${y + 20}" width="${fw.toFixed(1)}" height="16" fill="#9ca3af"/>
  <text x="${(left + fw + 6).toFixed(1)}" y="${y + 32}" font-size="11">${p.floor.rps.toLocaleString('en')} req/s</text>`
    })
    .join('')
  const height = 60 + pairs.length * rowHeight
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="10" y="22" font-size="14" font-weight="600">Crewbase route (blue) vs raw Bun.serve + bun:sqlite floor (grey)</text>${rows}
</svg>
`
}
