// The desk's repair intake (and the complaint intake): the company found by typing a unit
// number or a name. Enter picks the highlighted match (the first by default) and fills unit,
// caller and phone, so a phone call is logged with the keyboard only and without leaving the
// page. The fields filled are the input's data-contact, data-phone and data-next (the repair
// intake's by default).
(function () {
  "use strict";
  var input = document.getElementById("id_tenant_lookup");
  if (!input) return;
  var list = document.getElementById("tenant-options");
  var hidden = document.getElementById("id_tenant");
  var results = [];
  var active = -1;
  var timer = null;
  var seq = 0;

  function label(r) {
    return (r.unit ? r.unit + " · " : "") + r.name + (r.contact ? " · " + r.contact : "");
  }

  function render() {
    list.textContent = "";
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "tenant-opt-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.className = "list-group-item list-group-item-action" + (i === active ? " active" : "");
      li.textContent = label(r);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        pick(i);
      });
      list.appendChild(li);
    });
    list.hidden = !results.length;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    if (active >= 0) input.setAttribute("aria-activedescendant", "tenant-opt-" + active);
    else input.removeAttribute("aria-activedescendant");
  }

  function search() {
    var q = input.value.trim();
    var mine = ++seq;
    if (!q) {
      results = [];
      render();
      return Promise.resolve();
    }
    return fetch(input.getAttribute("data-url") + "?q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (mine !== seq) return;
        results = data.results || [];
        active = results.length ? 0 : -1;
        render();
      });
  }

  function put(id, value) {
    var field = document.getElementById(id);
    if (field) field.value = value || "";
  }

  function pick(i) {
    var r = results[i];
    if (!r) return;
    hidden.value = r.id;
    input.value = r.name;
    put("id_unit", r.unit);
    put(input.getAttribute("data-contact") || "id_reporter_name", r.contact);
    put(input.getAttribute("data-phone") || "id_phone", r.phone);
    results = [];
    active = -1;
    render();
    // Unit, caller and phone are filled: the next thing to ask the caller is what broke.
    var next = document.getElementById(input.getAttribute("data-next") || "id_category");
    if (next) next.focus();
  }

  input.addEventListener("input", function () {
    hidden.value = "";
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && results.length) {
      active = (active + 1) % results.length;
      render();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && results.length) {
      active = (active - 1 + results.length) % results.length;
      render();
      event.preventDefault();
    } else if (event.key === "Enter") {
      // Enter here picks a company; it never sends the half-filled form.
      event.preventDefault();
      clearTimeout(timer);
      if (results.length && active >= 0) pick(active);
      else search().then(function () { if (results.length) pick(0); });
    } else if (event.key === "Escape") {
      results = [];
      render();
    }
  });
  input.addEventListener("blur", function () {
    setTimeout(function () { results = []; active = -1; render(); }, 150);
  });
})();
