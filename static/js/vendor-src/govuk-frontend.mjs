// GOV.UK Frontend's JavaScript (MIT), only the components that this app's pages use: `npm run vendor` bundles this
// file (esbuild) into static/js/vendor/govuk-frontend-6.6.0-subset.min.js, which app.mjs imports. A third of the
// size of the whole of it (about 5.6 KB compressed instead of 10.1), on every page.
// A page that uses another GOV.UK component with JavaScript (its `data-module="govuk-..."`) needs the component
// added here, then `npm run vendor`: tests/integration/test_page_weight.py looks for pages with one that is missing.
import {
  Button,
  Checkboxes,
  createAll,
  ErrorSummary,
  FileUpload,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink
} from 'govuk-frontend'

const COMPONENTS = [
  Button, Checkboxes, ErrorSummary, FileUpload, NotificationBanner, PasswordInput, Radios, ServiceNavigation, SkipLink
]

/** As GOV.UK Frontend's own `initAll`, for these components only (each is skipped where the browser is too old). */
export function initAll () {
  for (const Component of COMPONENTS) createAll(Component)
}
