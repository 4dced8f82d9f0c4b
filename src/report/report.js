(function () {
  "use strict";
  function num(cell) {
    var v = cell.getAttribute("data-v");
    if (v === null || v === "") return null;
    var x = parseFloat(v);
    return isNaN(x) ? null : x;
  }
  function sortTable(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
    var head = table.tHead.rows[table.tHead.rows.length - 1].cells;
    for (var i = 0; i < head.length; i++) head[i].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir);
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col], c;
      var nx = x ? num(x) : null, ny = y ? num(y) : null;
      if (nx !== null && ny !== null) c = nx - ny;
      else if (nx !== null) c = 1;
      else if (ny !== null) c = -1;
      else c = (x ? x.textContent : "").localeCompare(y ? y.textContent : "", undefined, { numeric: true });
      if (c === 0) c = a.getAttribute("data-i") - b.getAttribute("data-i");
      return dir === "ascending" ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r, i) { r.setAttribute("data-i", i); });
    var head = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(head, function (th, col) {
      th.tabIndex = 0;
      th.title = "sort by this column";
      th.addEventListener("click", function () { sortTable(table, col, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, col, th); }
      });
    });
  });
  var table = document.getElementById("topic-table");
  if (table) {
    var search = document.getElementById("topic-search");
    var measure = document.getElementById("topic-measure");
    var differ = document.getElementById("topic-differ");
    var count = document.getElementById("topic-count");
    var style = document.getElementById("topic-style");
    var apply = function () {
      var m = measure.value;
      style.textContent = "#topic-table .mc:not(.m" + m + "){display:none}";
      var q = search.value.trim().toLowerCase();
      var shown = 0, rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i], ok = r.cells[0].textContent.toLowerCase().indexOf(q) >= 0;
        if (ok && differ.checked) {
          var vals = r.querySelectorAll("td.m" + m), first = null, same = true;
          for (var k = 0; k < vals.length; k++) {
            var t = vals[k].getAttribute("data-v");
            if (first === null) first = t; else if (t !== first) same = false;
          }
          ok = !same;
        }
        r.hidden = !ok;
        if (ok) shown++;
      }
      count.textContent = shown + " of " + rows.length + " topics";
    };
    search.addEventListener("input", apply);
    measure.addEventListener("change", apply);
    differ.addEventListener("change", apply);
    apply();
  }
})();
