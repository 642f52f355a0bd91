// A map of the search results on this page: an enhancement; the list stays the main view and has the same
// results. This module, the maps' shared code (./map-loader.mjs), Leaflet (BSD-2-Clause, vendored) and its
// stylesheet load only when someone first opens the map: until then app.mjs shows the control. The map reads what
// it shows from the list itself (`data-lat`/`data-lng` on each result), so no inline script is needed.
const RTL = document.documentElement.dir === 'rtl' // as in map-loader.mjs

// Leaflet's pin is 25 x 41 px, anchored at its point (a group's circle 32 x 32, centred). Results closer than
// this share one marker, so every marker stays a whole target for a finger (WCAG 2.5.8), never hidden by another.
const APART_X = 30
const APART_Y = 45
// Room for the zoom buttons and the attribution, so no marker sits under them.
const FIT = RTL
  ? { paddingTopLeft: [24, 48], paddingBottomRight: [56, 28], maxZoom: 15, animate: false }
  : { paddingTopLeft: [56, 48], paddingBottomRight: [24, 28], maxZoom: 15, animate: false }
// After a postcode the map first shows the results this close to the nearest one.
const LOCAL_KM = 25

/** This page's results that have a place, in the list's order (nearest first after a postcode). */
function locatedResults () {
  const located = []
  for (const result of document.querySelectorAll('#results .app-result[data-lat][data-lng]')) {
    const lat = Number(result.dataset.lat)
    const lng = Number(result.dataset.lng)
    const link = result.querySelector('.app-result__link')
    if (Number.isFinite(lat) && Number.isFinite(lng) && link) {
      located.push({ lat, lng, link, distance: result.querySelector('.app-result__distance') })
    }
  }
  return located
}

/**
 * What the map first shows. After a postcode the list runs nearest first and may end far away (it has no
 * limit): show the area around the nearest results; zooming out shows the rest.
 */
function inView (located) {
  if (!located.some(({ distance }) => distance)) return located
  const [nearest] = located
  return located.filter((result) => kmBetween(nearest, result) <= LOCAL_KM)
}

function kmBetween (a, b) {
  const radians = Math.PI / 180
  const x = (b.lng - a.lng) * radians * Math.cos(((a.lat + b.lat) / 2) * radians)
  const y = (b.lat - a.lat) * radians
  return Math.hypot(x, y) * 6371
}

/** The popup: each service at the marker as a link to its page (keeping its `lang`), with its distance. */
function popupContent (results) {
  const list = document.createElement('ul')
  list.className = 'govuk-list app-results-map__popup'
  list.dir = document.documentElement.dir // the map is left to right; its text is not
  for (const { link, distance } of results) {
    const item = document.createElement('li')
    item.append(link.cloneNode(true))
    if (distance) {
      const text = document.createElement('span')
      text.className = 'app-results-map__distance'
      text.textContent = distance.textContent.trim()
      item.append(text)
    }
    list.append(item)
  }
  return list
}

function setUp (root) {
  const button = root.querySelector('.app-results-map__toggle')
  const panel = root.querySelector('.app-results-map__panel')
  const canvas = root.querySelector('.app-results-map__canvas')
  const empty = root.querySelector('.app-results-map__empty')
  const showText = (root.dataset.showText ??= button.textContent.trim())
  const names = new Intl.ListFormat(document.documentElement.lang, { type: 'conjunction' })
  let map = null
  let markers = null
  let located = []

  // After htmx restores a page from its history, what was a live map is only its leftover markup.
  canvas.replaceChildren()
  canvas.className = 'app-results-map__canvas'
  canvas.removeAttribute('tabindex')
  canvas.removeAttribute('style')

  function isOpen () {
    return button.getAttribute('aria-expanded') === 'true'
  }

  function createMap (L, baseMap) {
    map = baseMap(L, root, canvas)
    markers = L.featureGroup().addTo(map)
    map.on('zoomend', drawMarkers)
    map.on('popupopen', ({ popup }) => {
      popup.getElement().querySelector('.leaflet-popup-close-button')
        ?.setAttribute('aria-label', root.dataset.closeText)
    })
  }

  /** Results too close together at this zoom to tell apart share one marker, at the nearest one's place. */
  function groups () {
    const zoom = map.getZoom()
    const found = []
    for (const result of located) {
      const point = map.project([result.lat, result.lng], zoom)
      const near = found.find(
        (group) => Math.abs(group.point.x - point.x) < APART_X && Math.abs(group.point.y - point.y) < APART_Y
      )
      if (near) near.results.push(result)
      else found.push({ point, lat: result.lat, lng: result.lng, results: [result] })
    }
    return found
  }

  function addMarker (L, group) {
    const label = names.format(group.results.map(({ link }) => link.textContent.trim()))
    const count = group.results.length
    // One service: Leaflet's pin. Several: a circle with how many, so people know the popup lists more.
    const icon = count === 1
      ? new L.Icon.Default()
      : L.divIcon({
        className: 'app-results-map__group',
        html: `<span aria-hidden="true">${count}</span>`,
        iconSize: [32, 32]
      })
    const marker = L.marker([group.lat, group.lng], { icon, alt: label, riseOnHover: true })
    const content = popupContent(group.results)
    marker.bindPopup(content, { autoPanPadding: [16, 16] })
    // By keyboard: Enter on a marker opens its popup and moves into it; Escape or closing comes back.
    marker.on('keypress', ({ originalEvent }) => {
      if (originalEvent.key === 'Enter') content.querySelector('a')?.focus()
    })
    content.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') marker.closePopup()
    })
    marker.on('popupclose', ({ popup }) => {
      const focus = document.activeElement
      if (popup.getElement()?.contains(focus) || focus === document.body) marker.getElement()?.focus()
    })
    marker.on('add', () => {
      const element = marker.getElement()
      element.dataset.services = count
      if (count > 1) element.setAttribute('aria-label', label) // `alt` names only an image
    })
    marker.addTo(markers)
  }

  function drawMarkers () {
    markers.clearLayers()
    if (located.length) groups().forEach((group) => addMarker(window.L, group))
  }

  /** Markers for the results now in the list; the control shows only when the page has something to map. */
  function update () {
    located = locatedResults()
    root.hidden = located.length === 0 && !isOpen()
    if (!map || !isOpen()) return // brought up to date when opened
    canvas.hidden = located.length === 0
    empty.hidden = located.length > 0
    if (located.length) {
      map.invalidateSize()
      map.fitBounds(window.L.latLngBounds(inView(located).map(({ lat, lng }) => [lat, lng])), FIT)
    }
    drawMarkers()
  }

  async function open () {
    button.setAttribute('aria-expanded', 'true')
    button.textContent = root.dataset.hideText
    panel.hidden = false
    try {
      const { baseMap, loadLeaflet } = await import('./map-loader.mjs')
      const L = await loadLeaflet()
      if (!map) createMap(L, baseMap)
    } catch {
      canvas.hidden = true // the note under the map already says the list has the same results
      return
    }
    if (isOpen()) update()
  }

  function close () {
    button.setAttribute('aria-expanded', 'false')
    button.textContent = showText
    panel.hidden = true
  }

  button.addEventListener('click', () => (isOpen() ? close() : open()))
  close() // a page restored from history may remember the map as open
  update()
  return { update, open }
}

let current = null
let queued = false

/** Set the map up on this page (app.mjs calls this when someone first opens it, with `open: true`). */
export function initResultsMap ({ open = false } = {}) {
  const root = document.querySelector('[data-module="app-results-map"]')
  current = root ? setUp(root) : null
  if (open) current?.open()
}

// htmx swaps in new results as filters change: move the markers (several swaps settle per response).
document.addEventListener('htmx:afterSettle', () => {
  if (queued) return
  queued = true
  setTimeout(() => {
    queued = false
    current?.update()
  })
})
// Going back to a page htmx kept in its history brings back old markup: set the map up afresh.
document.addEventListener('htmx:historyRestore', () => initResultsMap())
