import { Database } from 'bun:sqlite'
import { expect, test } from 'bun:test'
import { join } from 'node:path'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/client'
import { countRows } from '../../src/db/count'
import { openSqlite } from '../../src/db/sqlite'
import { tempDir } from '../helpers/binary'

test('a cached count sees writes from our connection and commits from another one', async () => {
  const path = join(tempDir(), 'count.sqlite')
  const { db, close } = openDatabase(path)
  await sql`create table things (id text primary key, kind text)`.execute(db)
  const query = () => (db as any).selectFrom('things').select('id').where('kind', '=', 'a')
  await sql`insert into things values ('1', 'a')`.execute(db)
  expect(await countRows(query())).toBe(1)
  await sql`insert into things values ('2', 'a')`.execute(db)
  expect(await countRows(query())).toBe(2)
  const other = new Database(path)
  other.run("insert into things values ('3', 'a')")
  other.run("insert into things values ('4', 'b')")
  expect(await countRows(query())).toBe(3)
  other.run("delete from things where id = '1'")
  expect(await countRows(query())).toBe(2)
  other.close()
  await close()
})

test('a write to another table keeps the cached count; a write to the counted table refreshes it', async () => {
  const path = join(tempDir(), 'count2.sqlite')
  const { db, connection: sqlite, close } = openSqlite(path)
  await sql`create table things (id text primary key, kind text)`.execute(db)
  await sql`create table others (id text primary key)`.execute(db)
  const anyDb = db as any
  await anyDb.insertInto('things').values({ id: '1', kind: 'a' }).execute()
  const query = () => anyDb.selectFrom('things').select('id').where('kind', '=', 'a')
  expect(await countRows(query())).toBe(1)
  // Sneak a row in behind the tracker's back on the same connection: only a tracked write to
  // `things` (or another connection's commit) may refresh the total.
  sqlite.run("insert into things values ('2', 'a')")
  await anyDb.insertInto('others').values({ id: 'x' }).execute()
  expect(await countRows(query())).toBe(1)
  await anyDb.updateTable('things').set({ kind: 'a' }).where('id', '=', '1').execute()
  expect(await countRows(query())).toBe(2)
  await close()
})

test('two databases answering the same list query keep their own totals', async () => {
  const dir = tempDir()
  const first = openDatabase(join(dir, 'first.sqlite'))
  const second = openDatabase(join(dir, 'second.sqlite'))
  for (const { db } of [first, second]) await sql`create table things (id text primary key, kind text)`.execute(db)
  await sql`insert into things values ('1', 'a'), ('2', 'a')`.execute(first.db)
  await sql`insert into things values ('1', 'a')`.execute(second.db)
  const query = (db: unknown) => (db as any).selectFrom('things').select('id').where('kind', '=', 'a')
  expect(await countRows(query(first.db))).toBe(2)
  expect(await countRows(query(second.db))).toBe(1)
  expect(await countRows(query(first.db))).toBe(2)
  await first.close()
  await second.close()
})
