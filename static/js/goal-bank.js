/* The goal bank on a part-2 page (templates/curriculum/_search.html): search as the user types, and
 * "Use this goal" fills the add-goal form in place. Without JavaScript the form is a plain GET search
 * and the button opens the page with ?kode=… so the server fills the form. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-goal-bank]");
  var results = document.getElementById("goal-bank-results");
  var addForm = document.querySelector("form[data-goal-add]");
  if (!form || !results) { return; }
  var timer = null;
  var latest = 0;

  function search() {
    var params = new URLSearchParams(new FormData(form));
    var ticket = ++latest;
    fetch(form.dataset.resultsUrl + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && ticket === latest) { results.innerHTML = html; }
    }).catch(function () { /* offline: the Search button still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);

  if (addForm) {
    addForm.addEventListener("click", function (event) {
      if (!event.target.closest("[data-grep-code-clear]")) { return; }
      event.preventDefault();  // free text: keep what is typed, drop the code
      addForm.querySelector("[name=grep_code]").value = "";
      addForm.querySelector("[data-grep-code-line]").hidden = true;
    });
  }

  results.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-grep-code]");
    if (!link || !addForm) { return; }
    event.preventDefault();
    var text = addForm.querySelector("[name=competence_goal]");
    var code = addForm.querySelector("[name=grep_code]");
    var line = addForm.querySelector("[data-grep-code-line]");
    code.value = link.dataset.grepCode;
    text.value = link.dataset.grepText;
    text.dispatchEvent(new Event("input", { bubbles: true }));  // drafts.js keeps the draft
    if (line) {
      line.hidden = false;
      line.querySelector("[data-grep-code-shown]").textContent = link.dataset.grepCode;
    }
    document.getElementById("add-goal").scrollIntoView();
    text.focus();
  });
})();
