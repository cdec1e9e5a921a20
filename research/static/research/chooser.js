/* The study editor's searchable choosers (research/widgets.py): type to search, chosen items
   listed with a "Remove" button, authors created on the spot. The hidden <select multiple> stays
   the form's field, so the page saves exactly what it lists. */
(function () {
  "use strict";

  function csrfToken(root) {
    var form = root.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setup(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var select = root.querySelector("select");
    var enhanced = root.querySelector(".research-chooser__enhanced");
    var chosen = root.querySelector(".research-chooser__chosen");
    var empty = root.querySelector(".research-chooser__empty");
    var search = root.querySelector(".research-chooser__search");
    var results = root.querySelector(".research-chooser__results");
    var status = root.querySelector(".research-chooser__status");
    var timer = null;
    var active = -1;

    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    enhanced.hidden = false;

    function refreshEmpty() {
      empty.hidden = chosen.children.length > 0;
    }

    function changed() {
      select.dispatchEvent(new Event("change", { bubbles: true }));
      refreshEmpty();
    }

    function option(value) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === String(value)) return select.options[i];
      }
      return null;
    }

    function removeButton(label) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small button-secondary";
      button.dataset.remove = "";
      button.textContent = root.dataset.removeText || "Remove";
      button.setAttribute("aria-label", (root.dataset.removeItemText || "Remove %s").replace("%s", label));
      return button;
    }

    function choose(value, label) {
      var existing = option(value);
      if (!existing) {
        existing = new Option(label, value);
        select.add(existing);
      }
      if (existing.selected) return;
      existing.selected = true;
      var item = document.createElement("li");
      item.dataset.value = value;
      var text = document.createElement("span");
      text.textContent = label;
      item.appendChild(text);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(removeButton(label));
      chosen.appendChild(item);
      status.textContent = (root.dataset.addedText || "Added: %s").replace("%s", label);
      changed();
    }

    function remove(item) {
      var existing = option(item.dataset.value);
      if (existing) existing.selected = false;
      var label = item.querySelector("span").textContent;
      item.remove();
      status.textContent = (root.dataset.removedText || "Removed: %s").replace("%s", label);
      changed();
      search.focus();
    }

    function close() {
      shownFor = null;
      results.hidden = true;
      results.innerHTML = "";
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = results.querySelectorAll("[role=option]");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (each, i) {
        each.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      search.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function show(found) {
      results.innerHTML = "";
      var shown = found.filter(function (each) {
        var existing = option(each.id);
        return !(existing && existing.selected);
      });
      shown.forEach(function (each, i) {
        var item = document.createElement("li");
        item.id = results.id + "-" + i;
        item.setAttribute("role", "option");
        item.dataset.value = each.id;
        item.textContent = each.label;
        results.appendChild(item);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "research-chooser__none";
        none.textContent = root.dataset.noneText || "No matches.";
        results.appendChild(none);
      }
      results.hidden = false;
      search.setAttribute("aria-expanded", "true");
      active = -1;
    }

    var asked = 0; // the answer to the latest question wins, whatever order answers arrive in
    var shownFor = null;

    function lookup(then) {
      var words = search.value.trim();
      var number = ++asked;
      var url = root.dataset.searchUrl + "?q=" + encodeURIComponent(words);
      clearTimeout(timer);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (number !== asked) return;
          show(data.results || []);
          shownFor = words;
          if (then && search.value.trim() === words) then(); // not if more was typed meanwhile
        })
        .catch(function () { close(); });
    }

    function chooseFirstOrActive() {
      var items = results.querySelectorAll("[role=option]");
      var pick = items[active >= 0 ? active : 0];
      if (pick) { choose(pick.dataset.value, pick.textContent); search.value = ""; close(); }
    }

    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { lookup(); }, 200);
    });
    search.addEventListener("focus", function () { lookup(); });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (results.hidden) lookup();
        else highlight(active + 1);
      }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter") {
        event.preventDefault(); // never submit the page from the search box
        // the matches on screen may be for fewer letters than typed: ask first, then choose
        if (shownFor === search.value.trim() && !results.hidden) chooseFirstOrActive();
        else lookup(chooseFirstOrActive);
      }
    });
    results.addEventListener("mousedown", function (event) { event.preventDefault(); });
    results.addEventListener("click", function (event) {
      var pick = event.target.closest("[role=option]");
      if (!pick) return;
      choose(pick.dataset.value, pick.textContent);
      search.value = "";
      close();
      search.focus();
    });
    search.addEventListener("blur", function () { setTimeout(close, 150); });
    chosen.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove]");
      if (button) remove(button.closest("li"));
    });

    var create = root.querySelector("[data-create]");
    if (create) {
      var name = root.querySelector("[data-new=name]");
      var affiliation = root.querySelector("[data-new=affiliation]");
      var error = root.querySelector(".research-chooser__error");
      [name, affiliation].forEach(function (input) {
        input.addEventListener("keydown", function (event) {
          if (event.key === "Enter") { event.preventDefault(); create.click(); }
        });
      });
      create.addEventListener("click", function () {
        var body = new FormData();
        body.append("name", name.value);
        body.append("affiliation", affiliation.value);
        error.hidden = true;
        fetch(root.dataset.createUrl, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": csrfToken(root) },
        })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (data.errors) {
              error.textContent = Object.keys(data.errors).map(function (key) { return data.errors[key].join(" "); }).join(" ");
              error.hidden = false;
              return;
            }
            choose(data.id, data.label);
            name.value = "";
            affiliation.value = "";
          })
          .catch(function () {
            error.textContent = root.dataset.failedText || "The author could not be created. Try again.";
            error.hidden = false;
          });
      });
    }
    refreshEmpty();
  }

  function setupAll() {
    document.querySelectorAll("[data-research-chooser]").forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupAll);
  else setupAll();
})();
