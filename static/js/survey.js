// Demand survey questionnaire: saves a draft on the server as the member types
// (debounced), shows conditional questions, keeps an option to one place of a ranking, and
// stops autosaving on a conflict (someone else of the same institution saved meanwhile).
// No dependencies.
(function () {
  var form = document.getElementById("survey-form");
  if (!form) return;
  var url = form.dataset.autosaveUrl;
  var status = document.getElementById("autosave-status");
  var version = document.getElementById("survey-version");
  var timer = null;
  var inFlight = false;
  var pending = false;
  var stopped = false;
  var afterSave = null;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function valuesOf(name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value) values.push(el.value);
    });
    return values;
  }

  function updateConditions() {
    // In document order, so a question hidden by its parent hides its own dependants too.
    form.querySelectorAll("fieldset[data-show-if]").forEach(function (fieldset) {
      var parent = document.getElementById("wrap-" + fieldset.dataset.showIf);
      var parentShown = parent && !parent.hidden;
      fieldset.hidden = !(parentShown && valuesOf(fieldset.dataset.showIf).indexOf(fieldset.dataset.showOption) !== -1);
    });
    // Numbered as the member sees them: a hidden question takes no number.
    var number = 0;
    form.querySelectorAll("fieldset.survey-q").forEach(function (fieldset) {
      var label = fieldset.querySelector(".survey-qnumber");
      if (!fieldset.hidden && label) label.textContent = ++number + ".";
    });
  }

  // A ranking gives each option one place: an option placed elsewhere is disabled in the other
  // places' menus, and enabled again once it leaves. A select's own choice is never disabled
  // (a disabled chosen option would not be posted), so a draft saved with a repeat still shows
  // it, and the server refuses it on submission, as it does without JavaScript.
  function updateRankings() {
    form.querySelectorAll("[data-ranking]").forEach(function (ranking) {
      var places = ranking.querySelectorAll("select");
      places.forEach(function (select) {
        var taken = {};
        places.forEach(function (other) { if (other !== select && other.value) taken[other.value] = true; });
        select.querySelectorAll("option").forEach(function (option) {
          option.disabled = option.value !== "" && option.value !== select.value && taken[option.value] === true;
        });
      });
    });
  }

  function save() {
    timer = null;
    if (stopped) return;
    if (inFlight) { pending = true; return; }
    inFlight = true;
    say(status.dataset.saving);
    var body = new FormData(form);
    body.delete("action");
    fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: true, headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.json().then(function (data) { return [response, data]; }); })
      .then(function (pair) {
        var data = pair[1];
        if (data.ok) {
          version.value = data.version;
          say(status.dataset.saved + " " + data.saved_at);
        } else {
          say(data.error, true);
          if (data.code === "conflict" || pair[0].status === 403) {
            stopped = true;
            showConflict(data.error);
          }
        }
      })
      .catch(function () { say(status.dataset.failed, true); pending = true; })
      .finally(function () {
        inFlight = false;
        if (afterSave) { var next = afterSave; afterSave = null; next(); return; }
        if (pending && !stopped) { pending = false; schedule(); }
      });
  }

  function showConflict(message) {
    var box = document.getElementById("conflict");
    if (!box) {
      box = document.createElement("div");
      box.id = "conflict";
      box.className = "survey-conflict";
      box.setAttribute("role", "alert");
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = message;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  // Saving or submitting the form posts every answer itself: stop autosaving, and if an
  // autosave is on its way, wait for it so that the form carries the new version number.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    timer = null;
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      afterSave = function () { form.requestSubmit(submitter); };
      return;
    }
    stopped = true;
  });
  // A number out of its range is flagged as the member types; the value stays (it is saved in
  // the draft as typed) and submitting checks it again on the server.
  function checkRange(input) {
    if (!input.dataset || (input.dataset.min === undefined && input.dataset.max === undefined)) return;
    var message = document.getElementById("range-" + input.name);
    // The page's language decides the separators, as on the server (portal/numbers.py): a
    // Spanish page reads "18.500" as eighteen thousand five hundred and "62,5" as 62.5.
    var spanish = (document.documentElement.lang || "").indexOf("es") === 0;
    var group = spanish ? "." : ",", decimal = spanish ? "," : ".";
    var text = input.value.trim().replace(/\s/g, "").split(group).join("").replace(decimal, ".");
    var value = Number(text);
    var out = text !== "" && !isNaN(value) && (
      (input.dataset.min !== undefined && value < Number(input.dataset.min)) ||
      (input.dataset.max !== undefined && value > Number(input.dataset.max)));
    if (message) message.hidden = !out;
    if (out) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }
  form.querySelectorAll("input[data-min], input[data-max]").forEach(checkRange);
  form.addEventListener("input", function (event) { checkRange(event.target); updateConditions(); schedule(); });
  form.addEventListener("change", function () { updateRankings(); updateConditions(); schedule(); });
  // Leaving the page: send what is pending right away.
  window.addEventListener("pagehide", function () { if (timer && !stopped) { clearTimeout(timer); save(); } });
  updateRankings();
  updateConditions();
})();
