// Loads the map library, Leaflet (BSD-2-Clause, vendored), and its stylesheet: once, and only when a map is drawn;
// and makes the maps' shared base (controls that mirror with the page, tiles, attribution).
const LEAFLET_JS = new URL('./vendor/leaflet-1.9.4.min.js', import.meta.url).href
const LEAFLET_CSS = new URL('../vendor/leaflet-1.9.4/leaflet.css', import.meta.url).href
// Each file named in full, so that the server gives it its fingerprint (referral_app/static_files.py).
const MARKER_ICONS = {
  iconUrl: new URL('../vendor/leaflet-1.9.4/images/marker-icon.png', import.meta.url).href,
  iconRetinaUrl: new URL('../vendor/leaflet-1.9.4/images/marker-icon-2x.png', import.meta.url).href,
  shadowUrl: new URL('../vendor/leaflet-1.9.4/images/marker-shadow.png', import.meta.url).href
}

let leaflet = null // a promise of window.L, made on the first call

function loadStylesheet (href) {
  return new Promise((resolve, reject) => {
    const link = document.createElement('link')
    link.rel = 'stylesheet'
    link.href = href
    link.addEventListener('load', resolve)
    link.addEventListener('error', reject)
    // Before our own stylesheet, so that our rules win over Leaflet's where both apply.
    document.head.insertBefore(link, document.head.querySelector('link[rel="stylesheet"]'))
  })
}

/** A promise of window.L; after a failure (no connection to this server) the next call tries again. */
export function loadLeaflet () {
  leaflet ??= Promise.all([import(LEAFLET_JS), loadStylesheet(LEAFLET_CSS)]).then(() => {
    window.L.Icon.Default.imagePath = '' // the icons' addresses are whole
    window.L.Icon.Default.mergeOptions(MARKER_ICONS)
    return window.L
  })
  leaflet.catch(() => { leaflet = null }) // try again next time
  return leaflet
}

// The map's controls mirror with the page: zoom buttons where a line starts (top left, or top right in a
// right-to-left language), the attribution at the other bottom corner. The map itself is never mirrored.
export const RTL = document.documentElement.dir === 'rtl'

export function escapeHtml (text) {
  const span = document.createElement('span')
  span.textContent = text
  return span.innerHTML
}

/** A Leaflet map in `canvas`, with the zoom texts, tile address and attribution from `root`'s data-* attributes. */
export function baseMap (L, root, canvas) {
  const map = L.map(canvas, { zoomControl: false, attributionControl: false, scrollWheelZoom: false })
  L.control.zoom({
    position: RTL ? 'topright' : 'topleft',
    zoomInTitle: root.dataset.zoomInText,
    zoomOutTitle: root.dataset.zoomOutText
  }).addTo(map)
  L.control.attribution({
    position: RTL ? 'bottomleft' : 'bottomright',
    prefix: '<a href="https://leafletjs.com/">Leaflet</a>'
  }).addTo(map)
  if (root.dataset.tileUrl) {
    // Without a connection the tiles fail quietly and what is drawn stays on a plain background.
    L.tileLayer(root.dataset.tileUrl, { attribution: escapeHtml(root.dataset.attribution || ''), maxZoom: 19 })
      .addTo(map)
  }
  return map
}
