// A refused form's error summary (portal/templates/portal/includes/error_summary.html): it takes
// the focus when the page loads, so the page shows it and a screen reader reads it; each of its
// links moves to the input it names (opening a closed <details> on the way) and focuses it.
// A page refused with a message only (a redirect after a refused quick action) focuses that
// message instead. No dependencies; loaded on every page by base.html.
(function () {
  function reveal(input) {
    for (var box = input.closest("details"); box; box = box.parentElement && box.parentElement.closest("details")) {
      box.open = true;
    }
  }

  // What to scroll to, so that the reader sees what is asked: the legend of the input's group (a
  // survey question) when it is near enough to show both, else the input's own label.
  function heading(input) {
    var fieldset = input.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend && input.getBoundingClientRect().top - legend.getBoundingClientRect().top < window.innerHeight / 2) {
      return legend;
    }
    var label = input.id && document.querySelector('label[for="' + input.id + '"]');
    return label || input.closest("label") || input;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var input = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!input) return;
    event.preventDefault();
    reveal(input);
    heading(input).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  });

  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    summary = document.querySelector(".messages .msg-error");
    if (summary) summary.setAttribute("tabindex", "-1");
  }
  if (summary) {
    reveal(summary);
    summary.focus();
  }
})();
