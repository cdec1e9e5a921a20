// A table wider than the screen scrolls inside its own box (.table-scroll). Only such a box
// is made a focusable, named region, so that keyboard users can scroll it too; the others
// stay out of the tab order.
(function () {
  function label(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var section = box.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : "";
  }
  function mark() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", label(box));
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", mark);
})();
