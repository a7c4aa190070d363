import { api } from '../api'
import { logo } from '../components'
import { h, replaceChildren } from '../dom'
import { formAlert, inputField, onSubmit } from '../forms'

interface SessionAnswer {
  data: { token: string }
}

function framed(root: HTMLElement, title: string, intro: string, form: HTMLFormElement, message?: string) {
  const heading = h('h1', { tabindex: '-1' }, title)
  replaceChildren(
    root,
    h(
      'main',
      { class: 'page narrow' },
      h('div', { class: 'brand big' }, logo(), 'Crewbase'),
      heading,
      message ? h('p', { class: 'notice ok', role: 'status' }, message) : null,
      h('p', { class: 'lead' }, intro),
      form,
    ),
  )
  form.querySelector('input')?.focus()
}

/** First run: no organization exists yet, so the first visitor creates it and becomes its owner. */
export function setupPage(root: HTMLElement, signedIn: (token: string) => void) {
  const org = inputField({ label: 'Organization name', field: '/org', required: true, attrs: { autocomplete: 'organization', maxlength: 200 } })
  const email = inputField({ label: 'Owner email', field: '/email', type: 'email', required: true, attrs: { autocomplete: 'email' } })
  const password = inputField({
    label: 'Password',
    field: '/password',
    type: 'password',
    required: true,
    hint: 'At least 8 characters.',
    attrs: { autocomplete: 'new-password' },
  })
  const form = h('form', { class: 'card' }, formAlert(), org.container, email.container, password.container, h('button', { type: 'submit', class: 'primary' }, 'Create organization'))
  onSubmit(form, async () => {
    const answer = await api<SessionAnswer>('POST', '/api/setup', {
      org: org.input.value,
      email: email.input.value,
      password: password.input.value,
    })
    signedIn(answer.data.token)
  })
  framed(root, 'Set up Crewbase', 'Create your organization and its owner account. You will be signed in right away.', form)
}

export function loginPage(root: HTMLElement, signedIn: (token: string) => void, message?: string) {
  const email = inputField({ label: 'Email', field: '/email', type: 'email', required: true, attrs: { autocomplete: 'username' } })
  const password = inputField({ label: 'Password', field: '/password', type: 'password', required: true, attrs: { autocomplete: 'current-password' } })
  const form = h('form', { class: 'card' }, formAlert(), email.container, password.container, h('button', { type: 'submit', class: 'primary' }, 'Sign in'))
  onSubmit(form, async () => {
    const answer = await api<SessionAnswer>('POST', '/api/auth', { email: email.input.value, password: password.input.value })
    signedIn(answer.data.token)
  })
  framed(root, 'Sign in', 'Sign in to manage API keys, webhooks, ingress URLs and users.', form, message)
}
