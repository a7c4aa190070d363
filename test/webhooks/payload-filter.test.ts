import { describe, expect, test } from 'bun:test'
import { compileFilter, FilterProblem, MAX_FILTER_CONDITIONS } from '../../src/outbox/payload-filter'

// A delivery body as the outbox builds it.
const body = {
  id: 'evt_01jd3k5q7x0000000000000000',
  type: 'invoice.paid',
  created_at: '2026-11-22T12:00:00.000Z',
  org_id: 'org_1',
  data: {
    object: {
      id: 'inv_1',
      status: 'paid',
      number: 'INV-1042',
      total_cents: 125000,
      client_id: 'cli_7',
      tags: ['vip', 'north'],
      notes: null,
      line_items: [
        { description: 'Boiler service', amount_cents: 100000 },
        { description: 'Call-out', amount_cents: 25000 },
      ],
    },
    previous: { status: 'sent' },
  },
}

const matches = (filter: unknown) => compileFilter(filter)(body)

describe('payload filters: each operator against a real event body', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['plain value equals', { type: 'invoice.paid' }, true],
    ['plain value differs', { type: 'invoice.sent' }, false],
    ['dotted path', { 'data.object.status': 'paid' }, true],
    ['nested object is the same as dotted paths', { data: { object: { status: 'paid', client_id: 'cli_7' } } }, true],
    ['nested object with one miss', { data: { object: { status: 'paid', client_id: 'cli_8' } } }, false],
    ['plain value against an array means contains', { 'data.object.tags': 'vip' }, true],
    ['array contains: absent', { 'data.object.tags': 'south' }, false],
    ['a path through an array looks into every element', { 'data.object.line_items.description': 'Call-out' }, true],
    ['a numeric segment picks one element', { 'data.object.line_items.0.description': 'Call-out' }, false],
    ['a plain array means the whole array', { 'data.object.tags': ['vip', 'north'] }, true],
    ['null equals null', { 'data.object.notes': null }, true],
    ['missing path never equals', { 'data.object.nothing': 'x' }, false],
    ['$eq', { 'data.object.total_cents': { $eq: 125000 } }, true],
    ['$neq', { 'data.object.status': { $neq: 'void' } }, true],
    ['$neq on an equal value', { 'data.object.status': { $neq: 'paid' } }, false],
    ['$neq on an array that contains it', { 'data.object.tags': { $neq: 'vip' } }, false],
    ['$gt number', { 'data.object.total_cents': { $gt: 100000 } }, true],
    ['$gt at the value', { 'data.object.total_cents': { $gt: 125000 } }, false],
    ['$gte at the value', { 'data.object.total_cents': { $gte: 125000 } }, true],
    ['$lt', { 'data.object.total_cents': { $lt: 125000 } }, false],
    ['$lte', { 'data.object.total_cents': { $lte: 125000 } }, true],
    ['range: all operators of an object must hold', { 'data.object.total_cents': { $gte: 100000, $lt: 200000 } }, true],
    ['range that excludes', { 'data.object.total_cents': { $gte: 100000, $lt: 120000 } }, false],
    ['$gt on timestamps as text', { created_at: { $gt: '2026-11-01T00:00:00Z' } }, true],
    ['$gt does not compare a number with a string', { 'data.object.total_cents': { $gt: '1' } }, false],
    ['$gt on an array: any element', { 'data.object.line_items.amount_cents': { $gt: 90000 } }, true],
    ['$in', { 'data.object.status': { $in: ['paid', 'sent'] } }, true],
    ['$in without it', { 'data.object.status': { $in: ['draft', 'sent'] } }, false],
    ['$in against an array: any element', { 'data.object.tags': { $in: ['south', 'north'] } }, true],
    ['$nin', { 'data.object.status': { $nin: ['draft', 'void'] } }, true],
    ['$nin with it', { 'data.object.status': { $nin: ['paid'] } }, false],
    ['$nin on a missing path', { 'data.object.nothing': { $nin: ['x'] } }, true],
    ['$exist true', { 'data.previous.status': { $exist: true } }, true],
    ['$exist true on null: the key is there', { 'data.object.notes': { $exist: true } }, true],
    ['$exist false', { 'data.previous.total_cents': { $exist: false } }, true],
    ['$exist false when present', { 'data.previous': { $exist: false } }, false],
    ['$startsWith', { 'data.object.number': { $startsWith: 'INV-' } }, true],
    ['$startsWith miss', { 'data.object.number': { $startsWith: 'EST-' } }, false],
    ['$endsWith', { type: { $endsWith: '.paid' } }, true],
    ['$startsWith on a number', { 'data.object.total_cents': { $startsWith: '1' } }, false],
    ['$and', { $and: [{ type: 'invoice.paid' }, { 'data.object.total_cents': { $gt: 1000 } }] }, true],
    ['$and with one miss', { $and: [{ type: 'invoice.paid' }, { 'data.object.total_cents': { $gt: 1e9 } }] }, false],
    ['$or', { $or: [{ type: 'job.completed' }, { 'data.object.client_id': 'cli_7' }] }, true],
    ['$or all miss', { $or: [{ type: 'job.completed' }, { 'data.object.client_id': 'cli_8' }] }, false],
    ['$not', { $not: { 'data.object.status': 'void' } }, true],
    ['$not of a match', { $not: { type: 'invoice.paid' } }, false],
    ['every key of an object must match', { type: 'invoice.paid', 'data.object.status': 'draft' }, false],
    ['logical inside a nested object keeps the prefix', { data: { object: { $or: [{ status: 'void' }, { status: 'paid' }] } } }, true],
    [
      'the example from the settings page',
      { type: { $in: ['invoice.paid', 'payment.received'] }, 'data.object.total_cents': { $gte: 100000 } },
      true,
    ],
  ]
  for (const [name, filter, expected] of cases) {
    test(`${name} → ${expected ? 'matches' : 'does not match'}`, () => {
      expect(matches(filter)).toBe(expected)
    })
  }

  test('a value that is not an object (a string, a list) at a path simply does not match a deeper path', () => {
    expect(matches({ 'type.name': 'x' })).toBe(false)
    expect(compileFilter({ 'data.object.id.length': 5 })({ data: { object: { id: 'abcde' } } })).toBe(false)
  })
})

describe('payload filters: a filter that does not parse names where and why', () => {
  const problem = (filter: unknown) => {
    try {
      compileFilter(filter)
    } catch (error) {
      expect(error).toBeInstanceOf(FilterProblem)
      return { pointer: (error as FilterProblem).pointer, message: (error as FilterProblem).message }
    }
    throw new Error('expected a FilterProblem')
  }
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['not an object', ['type'], '/filter', /JSON object/],
    ['a string', 'type=job', '/filter', /JSON object/],
    ['empty', {}, '/filter', /empty/],
    ['unknown operator', { 'data.object.total': { $regex: '^a' } }, '/filter/data.object.total/$regex', /unknown operator \$regex/],
    ['unknown top-level operator', { $nor: [{ type: 'x' }] }, '/filter/$nor', /unknown operator \$nor/],
    ['$gt with an object', { n: { $gt: { a: 1 } } }, '/filter/n/$gt', /number or a string/],
    ['$in with a scalar', { status: { $in: 'paid' } }, '/filter/status/$in', /non-empty array/],
    ['$nin empty', { status: { $nin: [] } }, '/filter/status/$nin', /non-empty array/],
    ['$exist with a string', { status: { $exist: 'yes' } }, '/filter/status/$exist', /true or false/],
    ['$startsWith with a number', { number: { $startsWith: 1 } }, '/filter/number/$startsWith', /string/],
    ['$and not an array', { $and: { type: 'x' } }, '/filter/$and', /non-empty array/],
    ['$or with a non-object', { $or: [{ type: 'x' }, 3] }, '/filter/$or/1', /JSON object/],
    ['$not with an array', { $not: [{ type: 'x' }] }, '/filter/$not', /JSON object/],
    ['operators mixed with paths', { data: { $eq: 1, status: 'x' } }, '/filter/data/status', /cannot mix/],
    ['empty path segment', { 'data..status': 'x' }, '/filter/data..status', /empty segment/],
    ['a slash in a key is escaped in the pointer', { 'a/b': { $gt: null } }, '/filter/a~1b/$gt', /number or a string/],
  ]
  for (const [name, filter, pointer, message] of cases) {
    test(`${name} → ${pointer}`, () => {
      const found = problem(filter)
      expect(found.pointer).toBe(pointer)
      expect(found.message).toMatch(message)
    })
  }

  test(`more than ${MAX_FILTER_CONDITIONS} conditions is refused, exactly ${MAX_FILTER_CONDITIONS} is fine`, () => {
    const of = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`data.object.f${i}`, i]))
    expect(() => compileFilter(of(MAX_FILTER_CONDITIONS))).not.toThrow()
    expect(problem(of(MAX_FILTER_CONDITIONS + 1)).message).toMatch(/more than 32 conditions/)
    // Each operator counts, wherever it sits.
    const ops = { $or: Array.from({ length: 17 }, (_, i) => ({ [`f${i}`]: { $gte: 0, $lte: 9 } })) }
    expect(problem(ops).message).toMatch(/more than 32 conditions/)
  })

  test('more than 4 KB of JSON is refused', () => {
    const found = problem({ 'data.object.notes': 'x'.repeat(4100) })
    expect(found.pointer).toBe('/filter')
    expect(found.message).toMatch(/at most 4096 bytes/)
  })

  test('deep nesting is refused before it costs anything', () => {
    let filter: unknown = { type: 'x' }
    for (let i = 0; i < 20; i++) filter = { $not: filter }
    expect(problem(filter).message).toMatch(/deeper than 8 levels/)
  })

})
