// The asset map: a circle for each postcode district, sized by its number of services. An enhancement only: the
// table after it has the same figures and is the whole page without JavaScript. The map reads what it shows from
// that table (`data-lat`, `data-lng`, `data-services` and `data-label` on each district's row), so no inline
// script is needed. The circles take no keyboard focus: the table, not a tab stop per district, is the way
// through the figures by keyboard or screen reader.
import { RTL, baseMap, loadLeaflet } from './map-loader.mjs'

const FIT = RTL
  ? { paddingTopLeft: [40, 48], paddingBottomRight: [72, 40], maxZoom: 12, animate: false }
  : { paddingTopLeft: [72, 48], paddingBottomRight: [40, 40], maxZoom: 12, animate: false }
// Radii in px: the smallest circle is still a 24 px target (WCAG 2.5.8); area grows with the number of services.
const SMALLEST = 14
const LARGEST = 34
// Districts closer than this at the current zoom share one circle, so no circle hides another.
const APART = SMALLEST + LARGEST
const COLOUR = '#1d4f4a'

function districts (table) {
  return [...table.querySelectorAll('tr[data-lat][data-lng][data-services]')].map((row) => ({
    lat: Number(row.dataset.lat),
    lng: Number(row.dataset.lng),
    services: Number(row.dataset.services),
    label: row.dataset.label
  })).filter(({ lat, lng, services }) => Number.isFinite(lat) && Number.isFinite(lng) && services > 0)
}

/** Districts too close together to tell apart at this zoom, largest first, at the place of the largest. */
function groups (map, places) {
  const zoom = map.getZoom()
  const found = []
  for (const place of [...places].sort((a, b) => b.services - a.services)) {
    const point = map.project([place.lat, place.lng], zoom)
    const near = found.find((group) => group.point.distanceTo(point) < APART)
    if (near) near.places.push(place)
    else found.push({ point, lat: place.lat, lng: place.lng, places: [place] })
  }
  for (const group of found) group.services = group.places.reduce((sum, place) => sum + place.services, 0)
  return found
}

/** The popup: each district in the circle with its number of services, one a line, in the page's direction. */
function popupContent (group) {
  const list = document.createElement('ul')
  list.className = 'govuk-list app-asset-map__popup'
  list.dir = document.documentElement.dir
  for (const { label } of group.places) {
    const item = document.createElement('li')
    item.textContent = label
    list.append(item)
  }
  return list
}

function setUp (root) {
  const canvas = root.querySelector('.app-asset-map__canvas')
  const table = document.querySelector('.app-asset-table')
  const places = table ? districts(table) : []
  if (!places.length) return
  const number = new Intl.NumberFormat(document.documentElement.lang, { numberingSystem: 'latn' })
  root.hidden = false

  loadLeaflet().then((L) => {
    const map = baseMap(L, root, canvas)
    const circles = L.featureGroup().addTo(map)

    function draw () {
      circles.clearLayers()
      const found = groups(map, places)
      const largest = Math.max(...found.map((group) => group.services))
      for (const group of found) {
        const radius = SMALLEST + (LARGEST - SMALLEST) * Math.sqrt(group.services / largest)
        const circle = L.circleMarker([group.lat, group.lng], {
          radius, color: '#ffffff', weight: 2, fillColor: COLOUR, fillOpacity: 0.85
        })
        // The number, always visible, in the middle of the circle; the popup names the districts.
        circle.bindTooltip(number.format(group.services), {
          permanent: true, direction: 'center', className: 'app-asset-map__count'
        })
        circle.bindPopup(popupContent(group), { autoPanPadding: [16, 16] })
        circle.on('add', () => {
          circle.getElement().dataset.services = group.services
          circle.getElement().dataset.districts = group.places.length
        })
        circle.addTo(circles)
      }
    }

    map.fitBounds(L.latLngBounds(places.map(({ lat, lng }) => [lat, lng])), FIT)
    map.on('zoomend', draw)
    map.on('popupopen', ({ popup }) => {
      popup.getElement().querySelector('.leaflet-popup-close-button')
        ?.setAttribute('aria-label', root.dataset.closeText)
    })
    draw()
  }).catch(() => {
    canvas.hidden = true // the note under the map already says the table has the same figures
  })
}

export function initAssetMap () {
  const root = document.querySelector('[data-module="app-asset-map"]')
  if (root) setUp(root)
}
