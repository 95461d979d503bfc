// Starts Pagefind's search box on a language home (exports/<lang>/index.html).
// A file of the site's own, not an inline script: the pages' Content-Security-Policy
// runs only the site's script files.  The box's data-bundles lists the language's
// Pagefind bundles (its pages indexed in chunks, toolkit/publish/search.py): the
// first is opened, the others merged into it (Pagefind's mergeIndex), so one search
// finds the pages of every chunk.  "?q=words" in the address searches at once.
(function () {
  "use strict";
  var root = new URL("./", document.currentScript.src);
  function start() {
    var box = document.getElementById("search");
    if (!box || typeof PagefindUI === "undefined") {
      return;
    }
    var bundles = (box.getAttribute("data-bundles") || "").split(" ").filter(Boolean)
      .map(function (path) { return new URL(path, document.baseURI).pathname; });
    if (!bundles.length) {
      return;
    }
    var ui = new PagefindUI({
      element: "#search", showImages: false, resetStyles: false,
      bundlePath: bundles[0], baseUrl: root.pathname,
      mergeIndex: bundles.slice(1).map(function (path) { return { bundlePath: path }; })
    });
    // The page's visible label (in its language) names Pagefind's input.
    var input = box.querySelector("input");
    if (input) {
      input.id = "search-input";
    }
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
