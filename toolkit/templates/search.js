// Starts Pagefind's search box on a language home (exports/<lang>/index.html).
// A file of the site's own, not an inline script: the pages' Content-Security-Policy
// runs only the site's script files.  Pagefind picks the index of the page's
// <html lang>; "?q=words" in the address searches at once (a link to a search).
(function () {
  "use strict";
  var root = new URL("./", document.currentScript.src);
  function start() {
    var box = document.getElementById("search");
    if (!box || typeof PagefindUI === "undefined") {
      return;
    }
    var ui = new PagefindUI({
      element: "#search", showImages: false, resetStyles: false,
      bundlePath: new URL("pagefind/", root).pathname, baseUrl: root.pathname
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
