import { ROLES } from '../../../db/schema'
import { api, listAll } from '../api'
import { confirmDialog, dataTable, emptyState, formDialog, notice } from '../components'
import { h, replaceChildren } from '../dom'
import { button, formAlert, inputField, onSubmit, selectField } from '../forms'
import { when } from '../format'
import type { PageContext } from '../shell'
import type { User } from '../types'
import { pageHeading, section } from './common'

const roleOptions = (): Array<[string, string]> => ROLES.map((r) => [r, r[0]!.toUpperCase() + r.slice(1)])
const ROLE_HINT = 'Owners and admins manage settings (only an owner can make an owner); dispatchers run jobs and customers; crew see their jobs.'

export async function usersPage(ctx: PageContext) {
  const list = h('div')
  const load = async () => {
    const users = await listAll<User>('/api/v1/users')
    if (!ctx.current()) return
    replaceChildren(list, users.length ? usersTable(ctx, users, load) : emptyState('No users.'))
  }
  await load()
  if (!ctx.current()) return
  replaceChildren(
    ctx.main,
    pageHeading('Users'),
    h('p', { class: 'lead' }, 'People who sign in to Crewbase. Only owners and admins manage settings.'),
    section('Everyone in the organization', list),
    section('Add a user', createForm(load)),
  )
}

function usersTable(ctx: PageContext, users: User[], reload: () => Promise<void>) {
  return dataTable(
    'Users',
    ['Email', 'Name', 'Role', 'Added', ''],
    users.map((user) => {
      const you = user.id === ctx.me.user.id
      return [
        [h('strong', null, user.email), you ? h('span', { class: 'hint' }, ' (you)') : null],
        user.name ?? '—',
        user.role,
        when(user.created_at),
        h(
          'div',
          { class: 'row-actions' },
          button('Edit', { 'aria-label': `Edit ${user.email}`, onclick: () => editUser(user, you, reload) }),
          button('Remove', {
            class: 'danger',
            'aria-label': `Remove ${user.email}`,
            onclick: () => removeUser(user, you, reload),
          }),
        ),
      ]
    }),
  )
}

function createForm(reload: () => Promise<void>) {
  const email = inputField({ label: 'Email', field: '/email', type: 'email', required: true, attrs: { autocomplete: 'off' } })
  const name = inputField({ label: 'Name', field: '/name', attrs: { maxlength: 200, autocomplete: 'off' } })
  const password = inputField({
    label: 'Password',
    field: '/password',
    type: 'password',
    required: true,
    hint: 'At least 8 characters. Give it to them in person; they can change it later.',
    attrs: { autocomplete: 'new-password' },
  })
  const role = selectField({ label: 'Role', field: '/role', options: roleOptions(), value: 'dispatcher', hint: ROLE_HINT })
  const form = h(
    'form',
    { class: 'card' },
    formAlert(),
    email.container,
    name.container,
    password.container,
    role.container,
    h('button', { type: 'submit', class: 'primary' }, 'Add user'),
  )
  onSubmit(form, async () => {
    const body: Record<string, unknown> = { email: email.input.value, password: password.input.value, role: role.select.value }
    if (name.input.value.trim()) body.name = name.input.value.trim()
    const answer = await api<{ data: User }>('POST', '/api/v1/users', body)
    form.reset()
    role.select.value = 'dispatcher'
    notice(`${answer.data.email} can now sign in.`)
    await reload()
  })
  return form
}

function editUser(user: User, you: boolean, reload: () => Promise<void>) {
  const name = inputField({ label: 'Name', field: '/name', value: user.name ?? '', attrs: { maxlength: 200 } })
  const role = selectField({ label: 'Role', field: '/role', options: roleOptions(), value: user.role, hint: ROLE_HINT })
  const password = inputField({
    label: 'New password',
    field: '/password',
    type: 'password',
    hint: you ? 'Leave empty to keep it. Changing it signs you out everywhere.' : 'Leave empty to keep it. Changing it signs them out.',
    attrs: { autocomplete: 'new-password' },
  })
  const form = h('form', null, formAlert(), name.container, role.container, password.container)
  const dialog = formDialog({ title: `Edit ${user.email}`, form, submitLabel: 'Save changes' })
  onSubmit(form, async () => {
    const body: Record<string, unknown> = {}
    if (name.input.value.trim() !== (user.name ?? '')) body.name = name.input.value.trim() || null
    if (role.select.value !== user.role) body.role = role.select.value
    if (password.input.value) body.password = password.input.value
    if (Object.keys(body).length > 0) {
      // If-Match: someone else's change in the meantime is reported instead of overwritten.
      await api('PATCH', `/api/v1/users/${encodeURIComponent(user.id)}`, body, { 'if-match': `"v${user.version}"` })
      notice(`${user.email} updated.`)
    }
    dialog.close()
    await reload()
  })
}

async function removeUser(user: User, you: boolean, reload: () => Promise<void>) {
  const yes = await confirmDialog({
    title: `Remove ${user.email}?`,
    body: you
      ? 'You are removing yourself: you will be signed out and cannot sign in again.'
      : 'They are signed out at once and can no longer sign in. Keys they created keep working.',
    confirm: 'Remove user',
    danger: true,
  })
  if (!yes) return
  try {
    await api('DELETE', `/api/v1/users/${encodeURIComponent(user.id)}`)
    notice(`${user.email} removed.`)
    await reload()
  } catch (error) {
    notice((error as Error).message, 'error')
  }
}
