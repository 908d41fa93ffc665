// Loaded as a module from a static file so the CSP needs no 'unsafe-inline'.
import { initAll } from "./govuk-frontend.min.js";
import { initAutocompletes } from "./autocomplete.js";

initAll();
initAutocompletes();

// A table wider than the screen scrolls inside its wrapper. Where it does, the wrapper becomes
// a named region that takes focus, so keyboard users can scroll it too (WCAG 2.1.1).
function markScrollableTables() {
  document.querySelectorAll(".app-table-wrapper").forEach((wrapper) => {
    const scrolls = wrapper.scrollWidth > wrapper.clientWidth;
    if (scrolls && !wrapper.hasAttribute("tabindex")) {
      const caption = wrapper.querySelector("caption");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute(
        "aria-label",
        (caption && caption.textContent.trim()) || "Table, scrolls sideways"
      );
      wrapper.dataset.appScrollable = "true";
    } else if (!scrolls && wrapper.dataset.appScrollable) {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
      delete wrapper.dataset.appScrollable;
    }
  });
}

markScrollableTables();
window.addEventListener("resize", markScrollableTables);
// a table in a closed disclosure is measured again when it is opened (toggle does not bubble)
document.addEventListener("toggle", markScrollableTables, true);
