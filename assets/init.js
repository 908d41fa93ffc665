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

// A page whose work goes on in the background (an import being checked) names the region to
// refresh. Every few seconds its newer copy replaces it; once the work is done, the whole page
// loads again to show the result. Without JavaScript, the page's own link refreshes it.
function refreshProgress() {
  const region = document.querySelector("[data-app-refresh]");
  if (!region) return;
  const url = region.dataset.appRefresh;
  const tick = async () => {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById(region.id);
      if (!fresh) {
        window.location.reload();
        return;
      }
      region.innerHTML = fresh.innerHTML;
    } catch (error) {
      // the network went away for a moment: try again at the next tick
    }
    window.setTimeout(tick, 2000);
  };
  window.setTimeout(tick, 2000);
}

refreshProgress();
