/* Data tables on a phone (issue 17, item 21): static/css/app.css stacks the rows of every table marked
 * data-stack below 40rem, one block per row, each cell led by its column's name. This script, loaded by
 * templates/base.html on every page, does the marking: each body cell gets the text of its column's
 * header (the last row of the <thead>, colspans counted) as data-label, shown by td::before.
 *
 * A table shown as blocks loses its table semantics in some browsers (Safari), so the script states
 * them as ARIA roles too; a screen reader then still announces rows, columns and headers, and the
 * data-label text (shown to the eye only, see app.css) is not read twice. Without this script the
 * tables stay tables and scroll sideways inside their .table-scroll box, as before. */
(function () {
  "use strict";

  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function text(cell) {
    return cell.textContent.replace(/\s+/g, " ").trim();
  }

  function columnNames(table) {
    var names = [];
    var head = table.tHead;
    if (!head || !head.rows.length) { return names; }
    each(head.rows[head.rows.length - 1].cells, function (cell) {
      for (var i = 0; i < cell.colSpan; i += 1) { names.push(text(cell)); }
    });
    return names;
  }

  function roleOf(cell, group) {
    if (cell.tagName !== "TH") { return "cell"; }
    var scope = cell.getAttribute("scope");
    if (scope === "row" || scope === "rowgroup") { return "rowheader"; }
    if (scope === "col" || scope === "colgroup" || group.tagName === "THEAD") { return "columnheader"; }
    return "rowheader";
  }

  function mark(table) {
    if (table.hasAttribute("data-stack")) { return; }
    var names = columnNames(table);
    table.setAttribute("role", "table");
    each(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
      each(group.rows, function (row) {
        row.setAttribute("role", "row");
        var column = 0;
        each(row.cells, function (cell) {
          if (!cell.hasAttribute("role")) { cell.setAttribute("role", roleOf(cell, group)); }
          var name = names[column];
          if (group.tagName !== "THEAD" && name && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", name);
          }
          column += cell.colSpan;
        });
      });
    });
    table.setAttribute("data-stack", "");
  }

  each(document.querySelectorAll("main table"), mark);
})();
