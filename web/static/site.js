// Pathways on every page: the header menu on small screens, and wide tables made reachable by
// keyboard. Without this script the menu simply wraps inside the header and tables still scroll
// sideways by touch or mouse; with it, a "Menu" button shows and hides the menu (aria-expanded
// says which; Escape closes it), and a table that is wider than the screen gets a tab stop so
// it can be scrolled with the arrow keys. After a form comes back with errors, keyboard focus
// goes to the first invalid field (whose aria-describedby names its error), not to the top of
// the page. Loaded in <head>, so the open menu never flashes.
(function () {
  "use strict";
  document.documentElement.classList.add("js-menu");
  function menu() {
    var button = document.querySelector("[data-menu-button]");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false); button.focus();
      }
    });
  }
  function tables() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }
  function firstError() {
    var bad = document.querySelector(
      "main [aria-invalid=\"true\"], main .has-error input:not([type=hidden]), " +
      "main .has-error select, main .has-error textarea");
    if (bad && typeof bad.focus === "function") bad.focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    menu(); tables(); firstError();
    var timer = null;
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(tables, 150); });
  });
})();
