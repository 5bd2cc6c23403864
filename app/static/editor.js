// The course editor, enhanced: a live preview and error list while typing, and a jump to the
// line an error names. Without this script, the Preview and Save buttons do the same work.
// Its words come from the page (the form's data-* attributes) and the server (the check
// panel, rendered as the page renders it), in the page's language.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form || !window.fetch) { return; }
  var text = form.querySelector("textarea");
  var preview = document.querySelector("[data-preview]");
  var problems = document.querySelector("[data-problems]");
  var status = form.querySelector("[data-status]");
  var timer = null;
  var sent = 0;

  function goToLine(line) {
    var lines = text.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
    var end = start + (lines[line - 1] || "").length;
    text.focus();
    text.setSelectionRange(start, end);
    var lineHeight = text.scrollHeight / Math.max(lines.length, 1);
    text.scrollTop = Math.max(0, (line - 5) * lineHeight);
  }

  function refresh() {
    var mine = ++sent;
    var body = new FormData();
    body.append("text", text.value);
    body.append("csrf_token", form.querySelector("[name=csrf_token]").value);
    status.textContent = form.dataset.checking;
    fetch(form.dataset.previewUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        if (mine !== sent) { return; }  // a newer check is on its way
        preview.innerHTML = data.html;  // sanitized by the server, as published pages are
        // Errors and warnings apart, as the page shows them; escaped by the server's template.
        problems.innerHTML = data.report;
        status.textContent = form.dataset.updated;
      })
      .catch(function () { status.textContent = form.dataset.unavailable; });
  }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
  if (form.dataset.line) { goToLine(parseInt(form.dataset.line, 10)); }
})();
