// Loaded as a module from a static file so the CSP needs no 'unsafe-inline'.
import { initAll } from "./govuk-frontend.min.js";

initAll();
