// The school and provider filters: a text box that works without JavaScript, enhanced here
// into GOV.UK's accessible autocomplete. Suggestions come ten at a time from the server
// (organisation_filter.suggest_organisations), already scoped to what the user may see.
// The chosen organisation's id goes in the hidden field beside the box, so two with the
// same name stay apart; typing another name without choosing leaves the server to match it.

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function suggestionsFrom(url) {
  let latest = 0;
  return (query, populate) => {
    const asked = ++latest;
    const address = new URL(url, window.location.href);
    address.searchParams.set("q", query);
    fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : []))
      .catch(() => [])
      .then((found) => {
        if (asked === latest) populate(Array.isArray(found) ? found : []);
      });
  };
}

function enhance(accessibleAutocomplete, wrapper) {
  const input = wrapper.querySelector("input.govuk-input");
  const hidden = wrapper.querySelector('input[type="hidden"]');
  if (!input || !hidden) return;
  const container = document.createElement("div");
  container.className = "app-organisation-filter__autocomplete";
  input.insertAdjacentElement("afterend", container);
  const { id, name, value } = input;
  const describedBy = input.getAttribute("aria-describedby");
  const hasError = input.classList.contains("govuk-input--error");
  input.remove();
  accessibleAutocomplete({
    element: container,
    id,
    name,
    defaultValue: value,
    minLength: 2,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    inputClasses: hasError ? "govuk-input--error" : "",
    source: suggestionsFrom(wrapper.dataset.appAutocomplete),
    templates: {
      inputValue: (found) => (found && typeof found === "object" ? found.name : found || ""),
      suggestion: (found) => escapeHtml(found && typeof found === "object" ? found.name : found),
    },
    onConfirm: (found) => {
      if (found && typeof found === "object") hidden.value = found.id;
    },
  });
  const made = document.getElementById(id);
  if (made && describedBy) {
    const own = made.getAttribute("aria-describedby");
    made.setAttribute("aria-describedby", own ? `${describedBy} ${own}` : describedBy);
  }
}

export async function initAutocompletes(root = document) {
  const wrappers = root.querySelectorAll("[data-app-autocomplete]");
  if (!wrappers.length) return;
  // the library (a UMD bundle) sets self.accessibleAutocomplete when loaded as a module
  await import("./accessible-autocomplete.min.js");
  const { accessibleAutocomplete } = self;
  if (typeof accessibleAutocomplete !== "function") return;
  wrappers.forEach((wrapper) => enhance(accessibleAutocomplete, wrapper));
}
