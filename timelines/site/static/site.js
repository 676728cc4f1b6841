/* Prevent case timelines. Each chart is on screen at once as its pre-rendered image. When the reader
   reaches for a chart (points at it, taps it, or tabs to it), plotly.js's basic bundle is loaded and the
   chart is drawn interactive over its image; once loaded, other charts are drawn as they near the screen.
   Figures come from JSON files beside the pages; on a narrow screen (data-phone, a media query) a chart
   that has a phone layout is drawn from that one (data-figure-phone), and redrawn if the width changes
   past it. This is the site's only script besides plotly.js. */
(function () {
  "use strict";
  var me = document.currentScript;
  var bundle = me && me.getAttribute("data-plotly");
  var narrow = me && me.getAttribute("data-phone") && window.matchMedia ? window.matchMedia(me.getAttribute("data-phone")) : null;
  var loading = null;
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".chart[data-figure]"));

  function plotly() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundle;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
      loading.then(watch);
    }
    return loading;
  }

  function wanted(box) {  // the figure for the width the page has now
    return narrow && narrow.matches && box.dataset.figurePhone ? box.dataset.figurePhone : box.dataset.figure;
  }

  function draw(box) {
    if (box.dataset.state) return;
    box.dataset.state = "loading";
    var url = wanted(box);
    var figure = fetch(url).then(function (r) { return r.json(); });
    Promise.all([plotly(), figure]).then(function (done) {
      var spec = done[1];
      return window.Plotly.react(box.querySelector(".plot"), spec.data, spec.layout, spec.config);
    }).then(function () {
      box.classList.add("drawn");
      box.dataset.state = "drawn";
      box.dataset.drawn = url;
      if (wanted(box) !== url) redraw(box);  // the width changed while it was drawn
    });
  }

  function redraw(box) {
    if (box.dataset.state !== "drawn" || box.dataset.drawn === wanted(box)) return;
    delete box.dataset.state;
    draw(box);
  }

  if (narrow) {
    var changed = function () { boxes.forEach(redraw); };
    if (narrow.addEventListener) narrow.addEventListener("change", changed); else narrow.addListener(changed);
  }

  function watch() {  // once plotly.js is here, draw each chart as it nears the screen
    if (!("IntersectionObserver" in window)) { boxes.forEach(draw); return; }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { seen.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "300px 0px" });
    boxes.forEach(function (box) { seen.observe(box); });
  }

  boxes.forEach(function (box) {
    var go = function () { draw(box); };
    ["pointerenter", "focusin", "click"].forEach(function (name) { box.addEventListener(name, go, { once: true }); });
    box.addEventListener("touchstart", go, { once: true, passive: true });
  });
})();
