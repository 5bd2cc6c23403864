// Saves each answer as the learner goes. Progressive: without JavaScript the "Save answers"
// button does the same. Each save carries a rising number; the server refuses an older one.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("save-status");
  var seq = document.getElementById("seq");
  var timer = null;
  var pending = {};

  function say(text) { status.textContent = text; }

  function save() {
    timer = null;
    var names = Object.keys(pending);
    if (!names.length) { return; }
    pending = {};
    var data = new FormData();
    data.append("csrf_token", form.elements.csrf_token.value);
    data.append("seq", seq.value);
    seq.value = String(Number(seq.value) + 1);
    names.forEach(function (name) {
      data.append(name + "-present", "1");
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== name) { return; }
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
        data.append(name, el.value);
      });
    });
    say("Saving…");
    fetch(form.dataset.autosave, {method: "POST", body: data, credentials: "same-origin",
                                  headers: {"Accept": "application/json"}})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (result) {
        if (result.ok) { say("Saved at " + result.body.saved_at + "."); }
        else if (result.body.finished) { window.location.reload(); }
        else { say(result.body.error || "Not saved. Use the Save button."); }
      })
      .catch(function () { say("Not saved: no connection. Your answers stay on this page; try Save."); });
  }

  form.addEventListener("input", function (event) {
    var name = event.target.name;
    if (!name || name.indexOf("q-") !== 0) { return; }
    pending[name] = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 800);
  });
  form.addEventListener("submit", function () { if (timer) { clearTimeout(timer); } });
}());
