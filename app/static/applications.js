// The application form's helpers. Progressive: without JavaScript the Save button saves
// the whole form, files included, and "Hand in" saves and hands in.
// - Saves the form as the applicant goes, 800 ms after the last change, one save at a time:
//   each carries the version the page last saved; the server refuses an older one (409),
//   and then nothing is saved from here until the applicant uses Save, which keeps what is
//   typed on this page over the other version.
// - Shows each answer's problem next to it, the checklist and the eligibility verdict the
//   server sends back with every save.
// - Keeps what was typed since the last save in this browser (localStorage, with the version
//   it was typed over), so that a lost connection or an ended session loses nothing: the
//   next load of the same version puts it back and saves it.
// - Uploads a chosen PDF at once, and counts a long answer's words against its limits.
// Its words come from the page (#application-strings, in the page's language).
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form) { return; }
  var words = JSON.parse(document.getElementById("application-strings").textContent);
  var status = document.getElementById("save-status");
  var version = document.getElementById("version");
  var panels = document.getElementById("application-panels");
  var timer = null;
  var inFlight = false;
  var again = false;
  var stopped = false;  // a stale page or an ended session: the applicant decides with Save
  var stale = false;  // another version is newer: a reload shows it, nothing put back

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }
  function say(text) { status.textContent = text; }
  // pending, saving, saved or refused: what a test (or a style) can wait on.
  function state(value) { form.dataset.saveState = value; }

  function showProblem(name, message) {
    var error = document.getElementById(name + "-error");
    var wrapper = document.getElementById("field-" + name);
    if (!error || !wrapper) { return; }
    error.textContent = message || "";
    error.hidden = !message;
    wrapper.classList.toggle("field-invalid", Boolean(message));
    var input = document.getElementById(name);
    if (input) {
      if (message) { input.setAttribute("aria-invalid", "true"); }
      else { input.removeAttribute("aria-invalid"); }
    }
  }

  function showProblems(problems) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (error) {
      var name = error.id.replace(/-error$/, "");
      if (!error.closest(".field-file")) { showProblem(name, problems[name]); }
    });
  }

  var storeKey = "trainhub-application-" + form.dataset.application;
  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }
  function typed() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.type === "hidden") { return; }
      values[el.name] = values[el.name] || [];
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      values[el.name].push(el.value);
    });
    return values;
  }
  function keep() {
    var store = storage();
    if (!store || stale) { return; }
    try {
      store.setItem(storeKey, JSON.stringify({version: version.value, values: typed()}));
    } catch (error) { /* full or refused: the server's copy is all there is */ }
  }
  function forget() {
    var store = storage();
    if (store) { store.removeItem(storeKey); }
  }
  function restore() {
    var store = storage();
    var kept = null;
    try { kept = store && JSON.parse(store.getItem(storeKey) || "null"); } catch (error) { kept = null; }
    if (!kept || !kept.values) { return; }
    // Typed over another version than this page's: a newer save has reached the server.
    if (kept.version !== version.value) { forget(); return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      var values = kept.values[el.name];
      if (!values || el.type === "file" || el.type === "hidden") { return; }
      if (el.type === "radio" || el.type === "checkbox") { el.checked = values.indexOf(el.value) !== -1; }
      else { el.value = values[0] || ""; }
    });
    say(words.restored);
    changed();
  }

  function answersData() {
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit") { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      data.append(el.name, el.value);
    });
    return data;
  }

  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      return {status: response.status, body: body || {}};
    });
  }

  function save() {
    timer = null;
    if (stopped) { return; }
    if (inFlight) { again = true; return; }
    inFlight = true;
    state("saving");
    say(words.saving);
    fetch(form.dataset.autosave, {method: "POST", body: answersData(), credentials: "same-origin",
                                  headers: {"Accept": "application/json"}})
      .then(answer)
      .then(function (result) {
        var body = result.body;
        if (body.version) { version.value = String(body.version); }
        if (body.panels) { panels.innerHTML = body.panels; }
        if (result.status === 200 || result.status === 422) {
          showProblems(body.problems || {});
          say(result.status === 200 ? fill(words.saved, {time: body.saved_at}) : words.notSaved);
          state(again ? "pending" : "saved");
          if (again || timer) { keep(); } else { forget(); }
        } else if (body.stale) {
          state("refused");
          stopped = true;  // the next Save (the button) overwrites the other version
          stale = true;
          forget();
          say(body.error);
        } else if (result.status === 401) {
          state("refused");
          stopped = true;
          say(words.sessionEnded);
        } else {
          state("refused");
          say(body.error || words.refused);
        }
      })
      .catch(function () { state("refused"); say(words.offline); })
      .then(function () {
        inFlight = false;
        if (again && !stopped) { again = false; save(); }
      });
  }

  function changed() {
    if (stopped) { return; }
    state("pending");
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 800);
  }

  function upload(input) {
    var wrapper = input.closest(".field-file");
    var key = wrapper.dataset.fileKey;
    var file = input.files[0];
    if (!file) { return; }
    var data = new FormData();
    data.append("csrf_token", form.elements.csrf_token.value);
    data.append("file", file);
    var stored = document.getElementById(input.id + "-stored");
    stored.textContent = fill(words.uploading, {file: file.name});
    fetch(form.dataset.upload.replace("KEY", encodeURIComponent(key)),
          {method: "POST", body: data, credentials: "same-origin",
           headers: {"Accept": "application/json"}})
      .then(answer)
      .then(function (result) {
        var body = result.body;
        if (result.status === 200) {
          showProblem(input.id, "");
          stored.textContent = words.uploaded + " ";
          var link = document.createElement("a");
          link.href = body.url;
          link.textContent = body.filename;
          stored.appendChild(link);
          input.value = "";
          if (body.panels) { panels.innerHTML = body.panels; }
        } else {
          stored.textContent = "";
          showProblem(input.id, body.error || words.offline);
        }
      })
      .catch(function () { stored.textContent = ""; showProblem(input.id, words.offline); });
  }

  function countWords(field) {
    var out = document.getElementById(field.id + "-count");
    if (!out) { return; }
    var count = field.value.trim() ? field.value.trim().split(/\s+/).length : 0;
    var low = Number(field.dataset.wordsMin), high = Number(field.dataset.wordsMax);
    out.textContent = fill(words.words, {count: count, low: low, high: high});
    out.classList.toggle("word-count-off", count > high || (count > 0 && count < low));
  }

  form.addEventListener("input", function (event) {
    if (event.target.type === "file") { return; }
    if (event.target.dataset.wordsMax) { countWords(event.target); }
    keep();
    changed();
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "file") { upload(event.target); return; }
    if (event.target.tagName === "SELECT" || event.target.type === "radio"
        || event.target.type === "checkbox") { keep(); changed(); }
  });
  form.addEventListener("submit", function () {
    if (timer) { clearTimeout(timer); timer = null; }
    stopped = true;  // the form's own save goes now
    // A Save after a stale answer keeps this page's answers over the other version.
  });
  restore();
  Array.prototype.forEach.call(form.querySelectorAll("textarea[data-words-max]"), countWords);
}());
