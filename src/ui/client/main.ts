import { api, session, whenSessionEnds } from './api'
import { h, replaceChildren } from './dom'
import { type Me, renderShell } from './shell'
import { loginPage, setupPage } from './pages/sign-in'

const root = document.getElementById('app') as HTMLElement

/** Decides what `/` shows: the first-run form, the sign-in form, or the settings for a live session. */
async function start(message?: string) {
  if (session.token) {
    try {
      const me = await api<{ data: Me }>('GET', '/api/auth')
      return renderShell(root, me.data, signOut)
    } catch {
      session.token = null
    }
  }
  const signedIn = (token: string) => {
    session.token = token
    void start()
  }
  try {
    const setup = await api<{ data: { needed: boolean } }>('GET', '/api/setup')
    if (setup.data.needed) return setupPage(root, signedIn)
    loginPage(root, signedIn, message)
  } catch (error) {
    replaceChildren(
      root,
      h('main', { class: 'page narrow' }, h('h1', null, 'Crewbase'), h('p', { role: 'alert' }, (error as Error).message)),
    )
  }
}

async function signOut() {
  try {
    await api('DELETE', '/api/auth')
  } catch {
    // The session may already be gone; either way this tab forgets it.
  }
  session.token = null
  history.replaceState(null, '', location.pathname)
  await start('You are signed out.')
}

whenSessionEnds(() => void start('Your session ended. Sign in again.'))
void start()
