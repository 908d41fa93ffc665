// The dashboard keeps its detail behind disclosures. Printed, it should hold every figure:
// open them all before printing (beforeprint, or print media emulated), and close again
// afterwards the ones the reader had left closed.
const opened = [];

function openAll() {
  document.querySelectorAll(".app-dashboard details:not([open])").forEach((details) => {
    details.open = true;
    opened.push(details);
  });
}

function closeAgain() {
  opened.splice(0).forEach((details) => {
    details.open = false;
  });
}

window.addEventListener("beforeprint", openAll);
window.addEventListener("afterprint", closeAgain);
window.matchMedia("print").addEventListener("change", (event) => {
  if (event.matches) {
    openAll();
  } else {
    closeAgain();
  }
});
