// Lesson and course-page HTML is stored at import, so its tables carry no wrapper: the
// stylesheet lets each one scroll sideways by itself. This puts each in a box that a
// keyboard can reach and a screen reader names (after its caption, or the heading above it).
// Progressive: without JavaScript the tables scroll all the same.
// The names' words come from the script element's data-table and data-table-under (the
// tables_script macro), in the page's language.
(function () {
  "use strict";
  var words = document.currentScript ? document.currentScript.dataset : {};
  function nameOf(table) {
    if (table.caption && table.caption.textContent.trim()) {
      return table.caption.textContent.trim();
    }
    for (var el = table.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[2-4]$/.test(el.tagName) && words.tableUnder) {
        return words.tableUnder.replace("%(heading)s", el.textContent.trim());
      }
    }
    return words.table || "";
  }
  var tables = document.querySelectorAll(".lesson-body table, .landing table");
  Array.prototype.forEach.call(tables, function (table) {
    if (table.parentElement.classList.contains("table-scroll")) { return; }
    var box = document.createElement("div");
    box.className = "table-scroll";
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    var name = nameOf(table);
    if (name) { box.setAttribute("aria-label", name); }
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
}());
