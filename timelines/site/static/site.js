/* Prevent case timelines: each chart is shown first as its pre-rendered image; once plotly.js has loaded
   (deferred, after the page is on screen) the chart is drawn interactive over it, when it nears the screen.
   The figures come from JSON data blocks in the page; this file is the site's only script but plotly.js. */
(function () {
  "use strict";
  function draw(box) {
    if (box.dataset.state) return;
    box.dataset.state = "drawing";
    var spec = JSON.parse(document.getElementById(box.dataset.figure).textContent);
    var plot = box.querySelector(".plot");
    window.Plotly.newPlot(plot, spec.data, spec.layout, spec.config).then(function () {
      box.classList.add("drawn");
      box.dataset.state = "drawn";
    });
  }
  function start() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".chart[data-figure]"));
    if (!window.Plotly || !boxes.length) return;
    if (!("IntersectionObserver" in window)) { boxes.forEach(draw); return; }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { seen.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "300px 0px" });
    boxes.forEach(function (box) { seen.observe(box); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
