// Progressive enhancement only: every page works without this file.
import { initAll } from './vendor/govuk-frontend-6.6.0.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
