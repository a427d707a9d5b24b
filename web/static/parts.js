// The update form's breakdown tables: the sum of the parts under each column, kept up to date
// as figures are typed, so a partner sees at once whether the parts add up to the total.
// Numbers are read as the page's language writes them (Dutch: decimal comma); a cell that is
// not a number leaves the sum open ("?") instead of guessing.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var comma = lang === "nl";
  var format = new Intl.NumberFormat(lang === "nl" ? "nl-BE" : "en-GB", { maximumFractionDigits: 6 });
  function parse(text) {
    var t = text.replace(/[\s\u00a0']/g, "");
    if (!t) return null;
    t = comma ? t.replace(/\./g, "").replace(",", ".") : t.replace(/,/g, "");
    return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(t) ? parseFloat(t) : NaN;
  }
  document.querySelectorAll("table[data-parts]").forEach(function (table) {
    function update() {
      table.querySelectorAll("output[data-sum]").forEach(function (out) {
        var key = out.getAttribute("data-sum"), sum = 0, any = false, bad = false;
        table.querySelectorAll("tbody input[name$='-" + key + "']").forEach(function (input) {
          var n = parse(input.value);
          if (n === null) return;
          if (isNaN(n)) bad = true; else { sum += n; any = true; }
        });
        out.textContent = bad ? "?" : any ? format.format(sum) : "–";
      });
    }
    table.addEventListener("input", update);
    update();
  });
})();
