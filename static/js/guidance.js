/*
 * The gentle warning of the free-text guidance (accounts/guidance.py), progressive enhancement.
 *
 * A textarea marked data-guidance-check (GuidedTextMixin) is checked, a moment after each
 * keystroke, against the word list in <script type="application/json" id="guidance-words">
 * (templates/includes/guidance_script.html: the words for the page's language and the student's
 * school's owner, and the warning text). When the text has one of the words, a polite warning
 * is shown under the field, naming them; when they are gone, so is the warning.
 *
 * It never blocks saving, and nothing about the check leaves the browser: no request, no log.
 * Words match whole, whatever the case, with letters such as æ, ø and å counted as letters.
 */
(function () {
  "use strict";
  var DELAY_MS = 300;
  var source = document.getElementById("guidance-words");
  if (!source) return;
  var data;
  try {
    data = JSON.parse(source.textContent);
  } catch (error) {
    return;
  }
  var words = (data.words || []).filter(function (word) { return word && word.trim(); });
  if (!words.length || !data.message) return;
  var quotes = data.quotes || ["«", "»"];

  function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Longest first, so that "problem child" wins over "problem"; whitespace inside a phrase matches any space.
  var alternatives = words.slice().sort(function (a, b) { return b.length - a.length; }).map(function (word) {
    return escape(word.trim()).replace(/\s+/g, "\\s+");
  });
  var pattern;
  try {
    pattern = new RegExp("(?<![\\p{L}\\p{N}_])(?:" + alternatives.join("|") + ")(?![\\p{L}\\p{N}_])", "giu");
  } catch (error) {
    return;  // a browser without Unicode property escapes: no warning, the form works as before
  }

  function found(text) {
    var seen = [];
    var match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text)) !== null) {
      var word = match[0].toLocaleLowerCase().replace(/\s+/g, " ");
      if (seen.indexOf(word) === -1) seen.push(word);
    }
    return seen;
  }

  function describedBy(textarea, id, on) {
    var ids = (textarea.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    var at = ids.indexOf(id);
    if (on && at === -1) ids.push(id);
    if (!on && at !== -1) ids.splice(at, 1);
    if (ids.length) textarea.setAttribute("aria-describedby", ids.join(" "));
    else textarea.removeAttribute("aria-describedby");
  }

  function setUp(textarea, index) {
    // The live region is there from the start (empty), so that what is put in it later is read out.
    var region = document.createElement("div");
    region.id = (textarea.id || "guided-" + index) + "_guidance";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("data-guidance-warning", "");
    textarea.insertAdjacentElement("afterend", region);
    var shown = "";
    var timer = null;

    function check() {
      var hits = found(textarea.value);
      var key = hits.join("\n");
      if (key === shown) return;
      shown = key;
      region.textContent = "";
      if (!hits.length) {
        describedBy(textarea, region.id, false);
        return;
      }
      var listed = hits.map(function (word) { return quotes[0] + word + quotes[1]; }).join(", ");
      var alert = document.createElement("div");
      alert.className = "ds-alert";
      alert.setAttribute("data-color", "warning");
      alert.setAttribute("data-size", "sm");
      var text = document.createElement("p");
      text.className = "ds-paragraph";
      text.textContent = data.message.replace("%(words)s", listed);
      alert.appendChild(text);
      region.appendChild(alert);
      describedBy(textarea, region.id, true);
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, DELAY_MS);
    });
    textarea.addEventListener("change", check);
    check();  // a saved text
    window.addEventListener("pageshow", check);  // a draft static/js/drafts.js put back, or a text kept by the browser
  }

  function start() {
    var fields = document.querySelectorAll("textarea[data-guidance-check]");
    for (var i = 0; i < fields.length; i++) setUp(fields[i], i);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
