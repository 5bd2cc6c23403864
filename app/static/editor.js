// The course editor, enhanced: a live preview and error list while typing, and a jump to the
// line an error names. Without this script, the Preview and Save buttons do the same work.
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

  function problemItems(list) {
    var items = document.createElement("ul");
    list.forEach(function (p) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = p.url + "#editor";
      link.textContent = p.path + ":" + p.line;
      item.appendChild(link);
      item.appendChild(document.createTextNode(": " + p.message));
      items.appendChild(item);
    });
    return items;
  }

  // Errors stop publishing; warnings are shown apart, as the page itself shows them.
  function showProblems(list, warnings) {
    var box = document.createElement("div");
    box.setAttribute("role", list.length ? "alert" : "status");
    box.className = list.length ? "form-errors problem-list" : "flash flash-success problem-list";
    var lead = document.createElement("p");
    lead.textContent = list.length
      ? list.length + (list.length === 1 ? " problem" : " problems") + " to fix before publishing:"
      : (warnings.length ? "No errors" : "No problems") + ": the draft is ready to publish.";
    box.appendChild(lead);
    if (list.length) { box.appendChild(problemItems(list)); }
    var boxes = [box];
    if (warnings.length) {
      var warned = document.createElement("div");
      warned.setAttribute("role", "status");
      warned.className = "flash flash-warning problem-list";
      var note = document.createElement("p");
      note.textContent = warnings.length +
        (warnings.length === 1 ? " warning, which does" : " warnings, which do") +
        " not stop publishing:";
      warned.appendChild(note);
      warned.appendChild(problemItems(warnings));
      boxes.push(warned);
    }
    problems.replaceChildren.apply(problems, boxes);
  }

  function refresh() {
    var mine = ++sent;
    var body = new FormData();
    body.append("text", text.value);
    body.append("csrf_token", form.querySelector("[name=csrf_token]").value);
    status.textContent = "Checking…";
    fetch(form.dataset.previewUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        if (mine !== sent) { return; }  // a newer check is on its way
        preview.innerHTML = data.html;  // sanitized by the server, as published pages are
        showProblems(data.problems, data.warnings || []);
        status.textContent = "Preview updated (not saved)";
      })
      .catch(function () { status.textContent = "Preview unavailable: use the Preview button"; });
  }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
  if (form.dataset.line) { goToLine(parseInt(form.dataset.line, 10)); }
})();
