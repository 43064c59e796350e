/* The Palermo companion: small fixes for reading the book from disk, no network.
   The theme reads the reader's colour mode from localStorage and, on a first visit, finds an
   empty value and logs an error; start from "auto" (follow the system) instead. */
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "auto";
}

/* Two buttons show only an icon: each chart's export menu (Vega-Embed draws it after the page
   loads) and the navigation's toggle for a chapter's sections. Give each a name that screen
   readers announce. */
(function () {
  function nameMenus(root) {
    root.querySelectorAll(".vega-embed details > summary:not([aria-label])").forEach(function (s) {
      s.setAttribute("aria-label", "Export this chart as SVG or PNG");
    });
    root.querySelectorAll(".bd-sidenav li > details > summary:not([aria-label])").forEach(function (s) {
      var link = s.closest("li").querySelector("a");
      var title = link ? link.textContent.trim() : "this chapter";
      s.setAttribute("aria-label", "Show or hide the pages under " + title);
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
