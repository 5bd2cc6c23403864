// "Select all" for the pages that act on many people at once (requests to join). Without
// JavaScript the box stays hidden and each person is ticked by hand.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-bulk]"), function (form) {
    var all = form.querySelector("[data-select-all]");
    if (!all) { return; }
    var boxes = form.querySelectorAll("input[type=checkbox][name]");
    function sync() {
      var ticked = Array.prototype.filter.call(boxes, function (box) { return box.checked; });
      all.checked = ticked.length === boxes.length;
      all.indeterminate = ticked.length > 0 && ticked.length < boxes.length;
    }
    all.closest("[hidden]").hidden = false;
    all.addEventListener("change", function () {
      Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
      sync();
    });
    form.addEventListener("change", function (event) { if (event.target !== all) { sync(); } });
    sync();
  });
}());
