// Pathways diagram: zoom and pan by moving the SVG's viewBox, and a tooltip with each box's text.
// Mouse: drag to pan, wheel to zoom at the pointer. Keys (diagram focused): + - 0 and arrows.
// Touch: one finger scrolls the page as anywhere else (the diagram never captures it), two
// fingers pinch to zoom and move the diagram, a tap opens a box's page. On a small screen the
// diagram starts zoomed in far enough to read, at its top left; "Fit" shows all of it.
(function () {
  "use strict";
  var box = document.querySelector("[data-diagram]");
  var svg = box && box.querySelector("svg");
  if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
  var tip = box.querySelector(".diagram-tip");
  var b = svg.viewBox.baseVal;
  var home = { x: b.x, y: b.y, w: b.width, h: b.height };
  var view = { x: b.x, y: b.y, w: b.width, h: b.height };

  function apply() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
  function toSvg(clientX, clientY) {
    var p = svg.createSVGPoint(); p.x = clientX; p.y = clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  function zoom(factor, at) {
    var w = view.w * factor;
    if (w < home.w / 25 || w > home.w * 3) return;
    at = at || { x: view.x + view.w / 2, y: view.y + view.h / 2 };
    view.x = at.x - (at.x - view.x) * factor; view.y = at.y - (at.y - view.y) * factor;
    view.w = w; view.h = view.h * factor; apply();
  }
  function pan(dx, dy) { view.x += dx; view.y += dy; apply(); }
  function reset() { view = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); }

  document.querySelectorAll("[data-zoom]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var what = btn.getAttribute("data-zoom");
      if (what === "in") zoom(0.8); else if (what === "out") zoom(1.25); else reset();
    });
  });
  box.addEventListener("wheel", function (e) {
    e.preventDefault();
    zoom(e.deltaY < 0 ? 0.85 : 1 / 0.85, toSvg(e.clientX, e.clientY));
  }, { passive: false });
  box.addEventListener("keydown", function (e) {
    var step = view.w / 10, keys = {
      "+": function () { zoom(0.8); }, "=": function () { zoom(0.8); },
      "-": function () { zoom(1.25); }, "0": reset,
      ArrowLeft: function () { pan(-step, 0); }, ArrowRight: function () { pan(step, 0); },
      ArrowUp: function () { pan(0, -step); }, ArrowDown: function () { pan(0, step); }
    };
    if (keys[e.key] && (e.target === box || !e.key.startsWith("Arrow"))) { e.preventDefault(); keys[e.key](); }
  });

  // Two fingers: pinch to zoom about their midpoint, move them to pan. One finger is left to
  // the browser, so the page scrolls.
  var pinch = null, drag = null, moved = false;
  function touchState(e) {
    var a = e.touches[0], c = e.touches[1];
    return {
      dist: Math.hypot(a.clientX - c.clientX, a.clientY - c.clientY) || 1,
      mid: toSvg((a.clientX + c.clientX) / 2, (a.clientY + c.clientY) / 2)
    };
  }
  box.addEventListener("touchstart", function (e) {
    pinch = e.touches.length === 2 ? touchState(e) : null;
    if (pinch) hideTip();
  }, { passive: true });
  box.addEventListener("touchmove", function (e) {
    if (!pinch || e.touches.length !== 2) return;
    e.preventDefault();
    var now = touchState(e);
    pan(pinch.mid.x - now.mid.x, pinch.mid.y - now.mid.y);
    zoom(pinch.dist / now.dist, toSvg((e.touches[0].clientX + e.touches[1].clientX) / 2,
                                      (e.touches[0].clientY + e.touches[1].clientY) / 2));
    pinch = touchState(e); moved = true;
  }, { passive: false });
  box.addEventListener("touchend", function (e) { if (e.touches.length < 2) pinch = null; });

  function readableStart() {
    var r = box.getBoundingClientRect();
    if (r.width >= 640 || !r.width || !r.height) return;
    var scale = Math.min(r.width / view.w, r.height / view.h);  // screen pixels per unit
    var factor = scale / 1.4;
    if (factor < 1) {
      view.w *= factor; view.h *= factor; view.x = home.x; view.y = home.y; apply();
    }
  }
  readableStart();

  box.addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || e.pointerType === "touch") return;
    drag = { start: toSvg(e.clientX, e.clientY), x: e.clientX, y: e.clientY }; moved = false;
  });
  window.addEventListener("pointermove", function (e) {
    if (!drag) return;
    if (!moved && Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 4) return;
    moved = true; box.classList.add("dragging"); hideTip();
    var now = toSvg(e.clientX, e.clientY);
    pan(drag.start.x - now.x, drag.start.y - now.y);
  });
  window.addEventListener("pointerup", function () { drag = null; box.classList.remove("dragging"); });
  // A drag that ends on a box must not open the box's page.
  box.addEventListener("click", function (e) { if (moved) { e.preventDefault(); moved = false; } }, true);
  box.addEventListener("touchstart", function () { moved = false; }, { passive: true });

  var whyOf = {};
  document.querySelectorAll("#diagram-why [data-node]").forEach(function (p) {
    var lines = [];
    p.querySelectorAll("span").forEach(function (s) {
      lines.push(s.textContent.replace(/\s+/g, " ").trim());
    });
    whyOf[p.getAttribute("data-node")] = lines.join("\n");
  });
  function showTip(a, x, y) {
    var text = a.getAttribute("data-tip");
    if (!tip || !text) return;
    tip.textContent = text; tip.hidden = false;
    var r = box.getBoundingClientRect();
    var left = Math.min(x - r.left + 14, r.width - tip.offsetWidth - 8);
    tip.style.left = Math.max(8, left) + "px";
    // Below the pointer, or above it when there is no room; never outside the diagram.
    var top = y - r.top + 16;
    if (top + tip.offsetHeight > r.height - 8) top = y - r.top - tip.offsetHeight - 12;
    tip.style.top = Math.max(8, top) + "px";
  }
  function hideTip() { if (tip) tip.hidden = true; }
  svg.querySelectorAll("a").forEach(function (a) {
    var xlink = "http://www.w3.org/1999/xlink";
    var text = a.getAttributeNS(xlink, "title") || a.getAttribute("title");
    if (!text) return;
    // Our tooltip replaces the browser's: the box's title and why it has its status (from the
    // page's #diagram-why), not its long description; the title stays the accessible name.
    var title = text.split("\n")[0], group = a.closest("g.node");
    var id = group && group.id ? group.id.replace(/^node-/, "") : "";
    var why = id && whyOf[id];
    a.setAttribute("data-tip", why ? title + "\n" + why : text); a.setAttribute("aria-label", title);
    a.removeAttributeNS(xlink, "title");
    a.addEventListener("mousemove", function (e) { if (!drag) showTip(a, e.clientX, e.clientY); });
    a.addEventListener("mouseleave", hideTip);
    a.addEventListener("focus", function () {
      var r = a.getBoundingClientRect(); showTip(a, r.left + r.width / 2, r.bottom);
    });
    a.addEventListener("blur", hideTip);
  });
})();
