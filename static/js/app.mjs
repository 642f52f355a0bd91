// Progressive enhancement only: every page works without this file.
import { initAll } from './vendor/govuk-frontend-6.6.0.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// The results map's code loads only on pages that offer it; Leaflet itself only when someone opens the map.
if (document.querySelector('[data-module="app-results-map"]')) {
  import('./results-map.mjs').then(({ initResultsMap }) => initResultsMap())
}

// The asset map (insights) draws its circles from the table beside it.
if (document.querySelector('[data-module="app-asset-map"]')) {
  import('./asset-map.mjs').then(({ initAssetMap }) => initAssetMap())
}
