// Progressive enhancement only: every page works without this file.
import { initAll } from './vendor/govuk-frontend-6.6.0-subset.min.js' // the components our pages use

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// The results map (search page): until someone first opens it, only its control is handled here, shown when a
// result on the page has a place. Its code (static/js/results-map.mjs, which loads Leaflet) loads then and takes
// over: not with the page, which stays light (issue 8: 50 KB a page).
const RESULTS_MAP = '[data-module="app-results-map"]'
if (document.querySelector(RESULTS_MAP)) {
  let loading = null
  const showControl = () => {
    const root = document.querySelector(RESULTS_MAP)
    if (root && !loading) root.hidden = !document.querySelector('#results .app-result[data-lat][data-lng]')
  }
  showControl()
  document.addEventListener('htmx:afterSettle', showControl) // new results as filters change
  document.addEventListener('htmx:historyRestore', showControl)
  document.addEventListener('click', (event) => {
    if (loading || !event.target.closest(`${RESULTS_MAP} .app-results-map__toggle`)) return
    loading = import('./results-map.mjs')
      .then(({ initResultsMap }) => initResultsMap({ open: true }))
      .catch(() => { loading = null }) // no connection: the next click tries again
  })
}

// The asset map (insights) draws its circles from the table beside it.
if (document.querySelector('[data-module="app-asset-map"]')) {
  import('./asset-map.mjs').then(({ initAssetMap }) => initAssetMap())
}

// Offline reading: static/js/sw.js keeps the public pages read here. The notice at the top shows while the browser
// is offline (on a saved copy the worker has already shown it, with the date the page was saved).
const installable = document.querySelector('link[rel="manifest"][data-service-worker]')
if (installable && 'serviceWorker' in navigator) {
  const firstVisit = !navigator.serviceWorker.controller // this page did not come through the worker
  navigator.serviceWorker.register(installable.dataset.serviceWorker).catch(() => {})
  const tell = (message) => navigator.serviceWorker.ready.then(({ active }) => active && active.postMessage(message))
  addEventListener('load', () => tell({
    offlinePage: installable.dataset.offlinePage,
    assets: performance.getEntriesByType('resource').map(({ name }) => name),
    save: firstVisit ? location.href : null
  }))
  let searching // a search made without reloading the page (htmx) is kept once it has settled
  document.addEventListener('htmx:pushedIntoHistory', () => {
    clearTimeout(searching)
    searching = setTimeout(() => tell({ save: location.href }), 2000)
  })
  const notice = document.querySelector('[data-offline-notice]')
  const savedCopy = document.documentElement.hasAttribute('data-offline-saved')
  const showNotice = () => { if (notice && !savedCopy) notice.hidden = navigator.onLine }
  addEventListener('online', showNotice)
  addEventListener('offline', showNotice)
  showNotice()
}
