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

/* Tables with a filter (render.tables.filter_box): a text box that matches any cell and a menu
   for each column named in data-filter-columns; a line read out by screen readers says how many
   rows show. Without scripts the whole table shows. */
(function () {
  var made = 0;
  function setup(box) {
    var table = box.querySelector("table");
    if (!table || box.dataset.ready) { return; }
    box.dataset.ready = "1";
    made += 1;
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var controls = document.createElement("div");
    controls.className = "palermo-filter-controls";
    var id = "palermo-filter-" + made;
    var search = document.createElement("input");
    search.type = "search";
    search.id = id + "-text";
    var searchLabel = document.createElement("label");
    searchLabel.htmlFor = search.id;
    searchLabel.textContent = "Filter rows: ";
    controls.appendChild(searchLabel);
    controls.appendChild(search);
    var menus = [];
    (box.dataset.filterColumns || "").split("|").filter(Boolean).forEach(function (name, k) {
      var col = heads.indexOf(name);
      if (col < 0) { return; }
      var values = {};
      rows.forEach(function (r) { values[r.cells[col].textContent.trim()] = true; });
      var select = document.createElement("select");
      select.id = id + "-col-" + k;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "all";
      select.appendChild(all);
      Object.keys(values).sort().forEach(function (v) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = v;
        select.appendChild(o);
      });
      var lab = document.createElement("label");
      lab.htmlFor = select.id;
      lab.textContent = " " + name + ": ";
      controls.appendChild(lab);
      controls.appendChild(select);
      menus.push({ col: col, select: select });
    });
    var status = document.createElement("p");
    status.className = "palermo-filter-status";
    status.setAttribute("aria-live", "polite");
    function apply() {
      var q = search.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (r) {
        var ok = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
        menus.forEach(function (m) {
          if (m.select.value && r.cells[m.col].textContent.trim() !== m.select.value) { ok = false; }
        });
        r.hidden = !ok;
        if (ok) { shown += 1; }
      });
      status.textContent = "Showing " + shown + " of " + rows.length + " rows.";
    }
    search.addEventListener("input", apply);
    menus.forEach(function (m) { m.select.addEventListener("change", apply); });
    box.insertBefore(controls, box.firstChild);
    box.insertBefore(status, controls.nextSibling);
    apply();
  }
  function start() {
    document.querySelectorAll(".palermo-filter").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
