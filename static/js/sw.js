// The service worker (served at /sw.js by referral_app/pwa/routes.py): public pages a person has read stay
// readable offline, with a notice saying when they were saved.
//
// Kept: the home page, searches (/services?...) and service pages (/services/<id>): only 200 HTML answers that
// the server did not mark `no-store` or `private` (it marks everything for a signed-in person and every page with
// personal data), the 50 most recent, keyed by their full address (language included). Static files (CSS,
// JavaScript, images), the old version of a file dropped when a new one is kept. The offline page, in the reader's
// language. Never: forms (POST), any other page, other sites, video.
'use strict'

const PAGES = 'pages-v1'
const ASSETS = 'assets-v1'
const OFFLINE = 'offline-v1'
const OURS = [PAGES, ASSETS, OFFLINE]
const MAX_PAGES = 50
const MAX_ASSETS = 60
const OFFLINE_PAGE_MAX_AGE = 24 * 60 * 60 * 1000 // fetch the offline page again after a day, for a new release
const SAVED_AT = 'X-Saved-At' // headers of our own on a kept copy
const SAVED_TITLE = 'X-Saved-Title'
const SCOPE = new URL(self.registration.scope).pathname // '/', unless the app lives under a prefix
const PUBLIC_PAGE = /^(|services|services\/[0-9a-f-]{36})$/ // after the scope: home, a search, a service

self.addEventListener('install', () => self.skipWaiting())

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (!OURS.includes(name)) await caches.delete(name)
    }
    await self.clients.claim()
  })())
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  // Only pages and static files: forms (POST), other sites, byte ranges (video), htmx and the rest go straight to
  // the network.
  if (request.method !== 'GET' || url.origin !== self.location.origin || request.headers.has('range')) return
  if (request.mode === 'navigate') {
    event.respondWith(navigate(event, url))
  } else if (url.pathname.startsWith(`${SCOPE}static/`)) {
    event.respondWith(staticFile(event, url))
  }
})

// From app.mjs on each page: the offline page's address in the page's language, the static files the page used
// (a first visit loads them before the worker is running) and, after a first visit or a search made without
// reloading the page (htmx), the page's own address, to keep it if it is public.
self.addEventListener('message', (event) => {
  const { offlinePage, assets, save } = event.data || {}
  const page = ours(save)
  event.waitUntil(Promise.all([
    ours(offlinePage) && keepOfflinePage(ours(offlinePage)),
    ...(Array.isArray(assets) ? assets.map(ours).filter(isStatic).map(keepStaticFile) : []),
    page && publicPage(page) && keepCopyOf(page)
  ]))
})

// `Purpose: prefetch` tells the server that no one searched again (referral_app/pwa/__init__.py).
function keepCopyOf (url) {
  const asked = fetch(url, { headers: { Accept: 'text/html', Purpose: 'prefetch' } })
  return asked.then((response) => keepPage(url, response), () => {})
}

function ours (address) {
  if (typeof address !== 'string') return null
  try {
    const url = new URL(address, self.location.origin)
    url.hash = ''
    return url.origin === self.location.origin ? url : null
  } catch {
    return null
  }
}

function isStatic (url) {
  return url && url.pathname.startsWith(`${SCOPE}static/`)
}

function publicPage (url) {
  return url.pathname.startsWith(SCOPE) && PUBLIC_PAGE.test(url.pathname.slice(SCOPE.length))
}

// Pages: the network first; offline, the copy kept, else the offline page.
async function navigate (event, url) {
  if (url.pathname === `${SCOPE}offline`) { // with the saved pages listed, online too
    const page = await offlinePage(url, { sameLanguage: true })
    if (page) return page
  }
  try {
    const response = await fetch(event.request)
    if (publicPage(url)) event.waitUntil(keepPage(url, response.clone()))
    return response
  } catch (error) {
    return (await savedCopy(url)) || (await offlinePage(url)) || Response.error()
  }
}

async function keepPage (url, response) {
  const cacheControl = response.headers.get('Cache-Control') || ''
  const html = (response.headers.get('Content-Type') || '').startsWith('text/html')
  if (response.status !== 200 || response.type !== 'basic' || response.redirected || !html ||
      /no-store|private/i.test(cacheControl)) return
  const text = await response.text()
  // The title without " – <service name>"; HTML as the server escaped it, with no `<` in it.
  const title = ((text.match(/<title>([^<]*)<\/title>/) || [])[1] || '').replace(/\s+–\s+[^–]*$/, '').trim()
  const headers = keptHeaders(response)
  headers.set(SAVED_TITLE, encodeURIComponent(title))
  const cache = await caches.open(PAGES)
  await cache.put(url.href, new Response(text, { status: 200, headers }))
  await trim(cache, MAX_PAGES)
}

// The answer's headers (its Content-Security-Policy too) with when it was kept; not those about the bytes sent,
// which no longer apply once the body has been read.
function keptHeaders (response) {
  const headers = new Headers(response.headers)
  for (const name of ['Content-Encoding', 'Content-Length', 'Transfer-Encoding']) headers.delete(name)
  headers.set(SAVED_AT, new Date().toISOString())
  return headers
}

async function trim (cache, most) {
  const keys = await cache.keys() // oldest first: `put` moves an address to the end
  await Promise.all(keys.slice(0, Math.max(0, keys.length - most)).map((key) => cache.delete(key)))
}

// A kept copy, marked so that its notice shows: "You are offline. This page was saved on <date>..."
async function savedCopy (url) {
  const kept = await (await caches.open(PAGES)).match(url.href, { ignoreVary: true })
  if (!kept) return null
  const html = await kept.text()
  const savedAt = new Date(kept.headers.get(SAVED_AT))
  const marked = html
    .replace('<html ', '<html data-offline-saved ')
    .replace('data-offline-notice hidden', 'data-offline-notice')
    .replace('data-offline-saved-text hidden', 'data-offline-saved-text')
    .replace('<span data-offline-saved-date></span>',
      `<time data-offline-saved-date datetime="${savedAt.toISOString()}">${escape(when(savedAt, lang(html)))}</time>`)
  return new Response(marked, { status: 200, headers: kept.headers })
}

// The offline page with the list of saved pages: in the language asked for (`?lang=`) if kept, else (unless
// `sameLanguage`) in the one kept.
async function offlinePage (url, { sameLanguage = false } = {}) {
  const cache = await caches.open(OFFLINE)
  const keys = await cache.keys()
  const asked = url.searchParams.get('lang')
  const matching = asked && keys.find((key) => new URL(key.url).searchParams.get('lang') === asked)
  const key = matching || (sameLanguage && asked ? null : keys[keys.length - 1])
  const kept = key && await cache.match(key)
  if (!kept) return null
  const html = await kept.text()
  const language = lang(html)
  const savedOn = (html.match(/data-saved-on="([^"]*)"/) || [])[1] || '{date}'
  const pages = await caches.open(PAGES)
  const items = []
  for (const request of (await pages.keys()).reverse()) {
    const page = await pages.match(request)
    const title = decodeURIComponent(page.headers.get(SAVED_TITLE) || '') || escape(new URL(request.url).pathname)
    const date = escape(when(new Date(page.headers.get(SAVED_AT)), language))
    items.push(`<li><a class="govuk-link" href="${escape(request.url)}">${title}</a><br>` +
      `<span class="govuk-body-s">${savedOn.replace('{date}', date)}</span></li>`)
  }
  return new Response(html.replace('<!--saved-pages-->', items.join('')), { status: 200, headers: kept.headers })
}

// One offline page: in the language the person reads now.
async function keepOfflinePage (url) {
  const cache = await caches.open(OFFLINE)
  const kept = await cache.match(url.href)
  if (kept && Date.now() - Date.parse(kept.headers.get(SAVED_AT)) < OFFLINE_PAGE_MAX_AGE) return
  try {
    const response = await fetch(url.href, { credentials: 'omit' }) // the public page, whoever is signed in
    if (response.status !== 200) return
    const text = await response.text()
    for (const old of await cache.keys()) await cache.delete(old)
    await cache.put(url.href, new Response(text, { status: 200, headers: keptHeaders(response) }))
  } catch {} // offline: try again on the next page
}

// Static files: a versioned address (?v=) never changes, so the copy kept is used; other addresses go to the
// network (and the browser's own cache) first. Offline, any version kept of the file.
async function staticFile (event, url) {
  const cache = await caches.open(ASSETS)
  if (url.searchParams.has('v')) {
    const kept = await cache.match(url.href)
    if (kept) return kept
  }
  try {
    const response = await fetch(event.request)
    if (response.status === 200 && response.type === 'basic') event.waitUntil(keepFile(cache, url, response.clone()))
    return response
  } catch (error) {
    return (await cache.match(url.href, { ignoreSearch: true })) || Response.error()
  }
}

async function keepStaticFile (url) {
  const cache = await caches.open(ASSETS)
  if (await cache.match(url.href)) return
  try {
    const response = await fetch(url.href)
    if (response.status === 200) await keepFile(cache, url, response)
  } catch {}
}

async function keepFile (cache, url, response) {
  for (const key of await cache.keys()) {
    const old = new URL(key.url)
    if (old.pathname === url.pathname && old.href !== url.href) await cache.delete(key) // an older version
  }
  await cache.put(url.href, response)
  await trim(cache, MAX_ASSETS)
}

function lang (html) {
  const code = (html.match(/<html[^>]*\slang="([^"]+)"/) || [])[1] || 'en'
  return code === 'en' ? 'en-GB' : code // the server writes British English dates
}

function when (date, language) {
  const options = { dateStyle: 'long', timeStyle: 'short', calendar: 'gregory' } // as the server writes dates
  try {
    return new Intl.DateTimeFormat(language, options).format(date)
  } catch {
    return date.toISOString().slice(0, 16).replace('T', ' ')
  }
}

function escape (text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
