// bpc report: zoom, pan and fit for the inline diagram; action details; diagnostics that
// point into the diagram. Reads only data-* attributes and toggles classes and `hidden`:
// it never builds markup from text, so nothing from the .bp file can become code.
(function () {
  "use strict";
  var svg = document.querySelector("#r-viewport svg");
  var viewport = document.getElementById("r-viewport");
  var details = document.getElementById("r-details");
  var refs = new Map();

  function tokens(value) {
    return (value || "").split(" ").filter(function (t) { return t !== ""; });
  }

  if (svg) {
    svg.querySelectorAll("[data-bp-ref]").forEach(function (el) {
      tokens(el.getAttribute("data-bp-ref")).forEach(function (ref) {
        if (!refs.has(ref)) { refs.set(ref, []); }
        refs.get(ref).push(el);
      });
    });
  }

  // ---- view box: zoom, pan, fit -----------------------------------------------------
  var home = svg ? tokens(svg.getAttribute("data-bp-viewbox")).map(Number) : null;
  var box = home ? home.slice() : null;
  var MIN_SCALE = 0.5;
  var MAX_SCALE = 12;

  function apply() {
    svg.setAttribute("viewBox", box.map(function (v) { return +v.toFixed(2); }).join(" "));
    var scale = home[2] / box[2];
    viewport.setAttribute("data-scale", scale.toFixed(2));
  }

  function toSvg(clientX, clientY) {
    var matrix = svg.getScreenCTM();
    if (!matrix) { return { x: box[0] + box[2] / 2, y: box[1] + box[3] / 2 }; }
    var point = svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    var p = point.matrixTransform(matrix.inverse());
    return { x: p.x, y: p.y };
  }

  function zoom(factor, center) {
    var scale = home[2] / (box[2] / factor);
    if (scale < MIN_SCALE || scale > MAX_SCALE) { return; }
    var c = center || { x: box[0] + box[2] / 2, y: box[1] + box[3] / 2 };
    box = [
      c.x - (c.x - box[0]) / factor,
      c.y - (c.y - box[1]) / factor,
      box[2] / factor,
      box[3] / factor,
    ];
    apply();
  }

  function fit() {
    box = home.slice();
    apply();
  }

  function pan(dx, dy) {
    box[0] += dx;
    box[1] += dy;
    apply();
  }

  // Bring a diagram element into view (centre it when it lies outside the view box).
  function reveal(elements) {
    if (!elements.length) { return; }
    var r = elements[0].getBoundingClientRect();
    var a = toSvg(r.left, r.top);
    var b = toSvg(r.right, r.bottom);
    var inside = a.x >= box[0] && a.y >= box[1] && b.x <= box[0] + box[2] && b.y <= box[1] + box[3];
    if (!inside) {
      box[0] = (a.x + b.x) / 2 - box[2] / 2;
      box[1] = (a.y + b.y) / 2 - box[3] / 2;
      apply();
    }
  }

  if (svg) {
    document.querySelectorAll("button[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "in") { zoom(1.25); } else if (how === "out") { zoom(0.8); } else { fit(); }
      });
    });
    // The wheel zooms with Ctrl (or a pinch) or once the diagram has focus; otherwise it
    // scrolls the page, so that scrolling past the diagram never gets stuck in it.
    viewport.addEventListener("wheel", function (event) {
      if (!(event.ctrlKey || event.metaKey || document.activeElement === viewport)) { return; }
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, toSvg(event.clientX, event.clientY));
    }, { passive: false });
    viewport.addEventListener("keydown", function (event) {
      var step = box[2] / 10;
      var keys = {
        "+": function () { zoom(1.25); }, "=": function () { zoom(1.25); },
        "-": function () { zoom(0.8); }, "0": fit,
        ArrowLeft: function () { pan(-step, 0); }, ArrowRight: function () { pan(step, 0); },
        ArrowUp: function () { pan(0, -step); }, ArrowDown: function () { pan(0, step); },
      };
      if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
    });

    var drag = null;
    viewport.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      drag = { x: event.clientX, y: event.clientY, moved: false, start: toSvg(event.clientX, event.clientY) };
    });
    viewport.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      if (!drag.moved && Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 4) { return; }
      if (!drag.moved) { viewport.setPointerCapture(event.pointerId); viewport.classList.add("dragging"); }
      drag.moved = true;
      var now = toSvg(event.clientX, event.clientY);
      pan(drag.start.x - now.x, drag.start.y - now.y);
    });
    // The click that ends a drag-pan selects nothing. It is dispatched in the same task
    // as the pointerup (and to the viewport, which holds the capture, or not at all), so
    // the flag is dropped right after that task: the next click always counts.
    var swallow = false;
    function endDrag(event) {
      if (!drag) { return; }
      if (drag.moved) {
        viewport.classList.remove("dragging");
        if (viewport.hasPointerCapture(event.pointerId)) { viewport.releasePointerCapture(event.pointerId); }
        swallow = true;
        setTimeout(function () { swallow = false; }, 0);
      }
      drag = null;
    }
    viewport.addEventListener("pointerup", endDrag);
    viewport.addEventListener("pointercancel", endDrag);
    viewport.addEventListener("click", function (event) {
      if (swallow) { swallow = false; event.stopPropagation(); }
    }, true);

    // Print the whole diagram, whatever the screen view shows.
    var saved = null;
    window.addEventListener("beforeprint", function () { saved = box.slice(); fit(); });
    window.addEventListener("afterprint", function () { if (saved) { box = saved; apply(); } });
  }

  // ---- selection and highlighting ---------------------------------------------------
  function mark(className, wanted) {
    document.querySelectorAll("#r-viewport ." + className).forEach(function (el) {
      el.classList.remove(className);
    });
    var found = [];
    wanted.forEach(function (ref) {
      (refs.get(ref) || []).forEach(function (el) { el.classList.add(className); found.push(el); });
    });
    return found;
  }

  function showCard(key) {
    if (!details) { return; }
    var shown = false;
    details.querySelectorAll(".card").forEach(function (card) {
      var match = card.getAttribute("data-key") === key;
      card.hidden = !match;
      shown = shown || match;
    });
    details.hidden = !shown;
  }

  if (details) {
    details.querySelector("[data-close]").addEventListener("click", function () {
      details.hidden = true;
      mark("bp-selected", []);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !details.hidden) { details.hidden = true; mark("bp-selected", []); }
    });
  }

  function select(ref, scroll) {
    var key = ref.indexOf("action:") === 0 ? ref.slice(7) : null;
    var found = mark("bp-selected", [ref]);
    if (key !== null) { showCard(key); }
    if (svg && found.length) { reveal(found); }
    if (scroll && viewport) { viewport.scrollIntoView({ block: "nearest" }); }
  }

  if (svg) {
    svg.addEventListener("click", function (event) {
      var el = event.target.closest("[data-bp-ref]");
      if (!el) { return; }
      var action = tokens(el.getAttribute("data-bp-ref")).filter(function (t) {
        return t.indexOf("action:") === 0;
      });
      if (action.length) { select(action[0], false); }
    });
  }

  document.querySelectorAll("[data-bp-select]").forEach(function (button) {
    button.addEventListener("click", function () {
      select(button.getAttribute("data-bp-select"), true);
    });
  });

  document.querySelectorAll("[data-bp-refs]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.querySelectorAll(".diag.active").forEach(function (row) { row.classList.remove("active"); });
      var row = button.closest(".diag");
      if (row) { row.classList.add("active"); }
      var wanted = tokens(button.getAttribute("data-bp-refs"));
      var found = mark("bp-hl", wanted);
      var action = wanted.filter(function (t) { return t.indexOf("action:") === 0; });
      if (action.length) { showCard(action[0].slice(7)); }
      if (found.length) { reveal(found); }
      if (viewport) { viewport.scrollIntoView({ block: "nearest" }); }
    });
  });
})();
