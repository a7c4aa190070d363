import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'

/**
 * Counts writes per table in this process, so caches over a table (list totals) stay
 * valid until that table changes — not until anything at all changes. A raw SQL write
 * cannot be attributed to a table and moves every generation.
 */
const generations = new Map<string, number>()
let everything = 0

export function tableGeneration(table: string): number {
  return (generations.get(table) ?? 0) + everything
}

function bump(table: string | undefined) {
  if (table) generations.set(table, (generations.get(table) ?? 0) + 1)
  else everything++
}

function tableName(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined
  if (node.kind === 'TableNode') return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node)
  return undefined
}

export const writeTracker: KyselyPlugin = {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    switch (node.kind) {
      case 'InsertQueryNode':
        bump(tableName((node as unknown as { into: OperationNode }).into))
        break
      case 'UpdateQueryNode':
        bump(tableName((node as unknown as { table: OperationNode }).table))
        break
      case 'DeleteQueryNode':
        for (const from of (node as unknown as { from: { froms: OperationNode[] } }).from.froms) bump(tableName(from))
        break
      case 'RawNode':
        // Raw SQL that reads (pragma, total_changes) is rare on the hot path; treat any raw text that writes as touching all.
        if (/^\s*(insert|update|delete|replace|drop|alter|create)\b/i.test((node as unknown as { sqlFragments: string[] }).sqlFragments.join(' '))) bump(undefined)
        break
    }
    return node
  },
  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result
  },
}
