/* The Palermo companion: small fixes for reading the book from disk, no network.
   The theme reads the reader's colour mode from localStorage and, on a first visit, finds an
   empty value and logs an error; start from "auto" (follow the system) instead. */
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "auto";
}

/* Each chart's export menu (Vega-Embed draws it after the page loads) shows only an icon:
   give its button a name that screen readers announce. */
(function () {
  function nameMenus(root) {
    root.querySelectorAll(".vega-embed details > summary:not([aria-label])").forEach(function (s) {
      s.setAttribute("aria-label", "Export this chart as SVG or PNG");
    });
  }
  function start() {
    nameMenus(document);
    new MutationObserver(function () { nameMenus(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
