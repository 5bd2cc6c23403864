// The call form's builders (its questions and its rubric's criteria). Progressive: without
// JavaScript the blank rows the server adds take new questions and the server reads the
// rows in page order. With it, each row gets "Move up", "Move down" and "Remove" buttons,
// the builder an "Add a question" button, a question shows only its kind's options, and
// every input is renumbered (<prefix>-<n>-<name>) so the server reads the rows as shown.
// Its words come from the builder's data-* attributes, in the page's language.
(function () {
  "use strict";
  var NAMED = /^(question|criterion)-\d+-/;

  function rowsOf(builder) {
    return Array.prototype.filter.call(builder.children, function (child) {
      return child.hasAttribute("data-row");
    });
  }

  function renumber(builder) {
    var prefix = builder.getAttribute("data-builder");
    var legend = builder.getAttribute("data-legend");
    rowsOf(builder).forEach(function (row, n) {
      var fresh = prefix + "-" + n + "-";
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = el.getAttribute(attribute);
          if (value && NAMED.test(value)) { el.setAttribute(attribute, value.replace(NAMED, fresh)); }
        });
        var described = el.getAttribute("aria-describedby");
        if (described) {
          el.setAttribute("aria-describedby", described.split(" ").map(function (id) {
            return id.replace(NAMED, fresh);
          }).join(" "));
        }
      });
      var title = row.querySelector("legend");
      if (title) { title.textContent = legend.replace("%(n)s", String(n + 1)); }
    });
  }

  function showKind(row) {
    var select = row.querySelector("[data-kind-select]");
    if (!select) { return; }
    row.querySelectorAll("[data-kinds]").forEach(function (options) {
      options.hidden = options.getAttribute("data-kinds").split(" ").indexOf(select.value) < 0;
    });
  }

  function button(text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button-small button-secondary";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function blank(row) {
    var copy = row.cloneNode(true);
    copy.querySelectorAll("input, textarea").forEach(function (el) {
      if (el.type === "checkbox") { el.checked = false; } else { el.value = ""; }
    });
    copy.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    copy.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    copy.classList.remove("field-invalid");
    copy.querySelectorAll(".builder-tools").forEach(function (el) { el.remove(); });
    return copy;
  }

  function equip(builder, row) {
    var tools = document.createElement("div");
    tools.className = "builder-tools";
    tools.appendChild(button(builder.getAttribute("data-up"), function () {
      var before = row.previousElementSibling;
      if (before && before.hasAttribute("data-row")) { builder.insertBefore(row, before); renumber(builder); this.focus(); }
    }));
    tools.appendChild(button(builder.getAttribute("data-down"), function () {
      var after = row.nextElementSibling;
      if (after && after.hasAttribute("data-row")) { builder.insertBefore(after, row); renumber(builder); this.focus(); }
    }));
    tools.appendChild(button(builder.getAttribute("data-remove"), function () {
      var rows = rowsOf(builder);
      if (rows.length > 1) {
        var next = row.nextElementSibling && row.nextElementSibling.hasAttribute("data-row")
          ? row.nextElementSibling : row.previousElementSibling;
        row.remove();
        renumber(builder);
        var focus = next && next.querySelector("input, select, textarea");
        if (focus) { focus.focus(); }
      } else {
        builder.replaceChild(equip(builder, blank(row)), row);
        renumber(builder);
      }
    }));
    row.appendChild(tools);
    var select = row.querySelector("[data-kind-select]");
    if (select) { select.addEventListener("change", function () { showKind(row); }); }
    showKind(row);
    return row;
  }

  // The intake list offers the chosen centre's intakes only (the server checks it too).
  var centre = document.getElementById("centre_id");
  var intake = document.getElementById("intake_id");
  function showIntakes() {
    intake.querySelectorAll("option[data-centre]").forEach(function (option) {
      var other = option.getAttribute("data-centre") !== centre.value;
      option.hidden = other;
      option.disabled = other;
      if (other && option.selected) { intake.value = ""; }
    });
    intake.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  }
  if (centre && intake) {
    centre.addEventListener("change", showIntakes);
    showIntakes();
  }

  document.querySelectorAll("[data-builder]").forEach(function (builder) {
    var rows = rowsOf(builder);
    if (!rows.length) { return; }
    rows.forEach(function (row) { equip(builder, row); });
    var add = button(builder.getAttribute("data-add"), function () {
      var all = rowsOf(builder);
      var fresh = equip(builder, blank(all[all.length - 1]));
      builder.insertBefore(fresh, add.parentNode);
      renumber(builder);
      var first = fresh.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
    var holder = document.createElement("p");
    holder.appendChild(add);
    builder.appendChild(holder);
  });
})();
