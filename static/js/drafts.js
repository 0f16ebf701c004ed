/*
 * Drafts of long texts in the browser (progressive enhancement).
 *
 * A session lasts 10 hours (settings.SESSION_COOKIE_AGE) and ends when the
 * browser closes, so someone writing an assessment over an afternoon can be
 * logged out before saving: the Save then only leads to the login page. Rather
 * than warn about the session, we keep what they type. Every
 * <textarea data-draft-key="..." data-draft-since="..."> is saved to
 * the tab's sessionStorage as they write. On load, a draft written after the server's text
 * last changed (data-draft-since, epoch ms) and different from it is put back
 * with a notice. A draft the server has caught up with (a save after it) is
 * forgotten.
 *
 * Submitting marks the form's drafts as submitted. The next page forgets them:
 * either the save worked, or the server showed the form again with the posted
 * text. Only the login page keeps them (it unmarks them), because a submit
 * during an expired session lands there, and after logging in the user is
 * sent back to the form, where the draft is put back.
 *
 * The script tag carries data-server-now (epoch seconds) so browser and server
 * clocks can be compared, data-notice (the translated notice text) and, on
 * the login page, data-login-page.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var PREFIX = "iop-draft:";
  var DELAY_MS = 400;
  var MAX_AGE_MS = 1000 * 60 * 60 * 24 * 14;  // forget drafts after two weeks
  var serverNow = script && Number(script.dataset.serverNow);
  var clockOffset = serverNow ? serverNow * 1000 - Date.now() : 0;
  var noticeText = (script && script.dataset.notice) || "A draft you did not save was restored.";

  function now() { return Date.now() + clockOffset; }  // in the server's clock

  function storage() {
    // sessionStorage, not localStorage: the texts are about children and school
    // computers are shared, so a draft lives only as long as the browser tab
    // (which is what outlives an expired login), not on the disk for weeks.
    try { return window.sessionStorage; } catch (error) { return null; }  // disabled or private mode
  }

  function read(store, key) {
    try { return JSON.parse(store.getItem(PREFIX + key)); } catch (error) { return null; }
  }

  function write(store, key, text, submitted) {
    try {
      store.setItem(PREFIX + key, JSON.stringify({ text: text, savedAt: now(), submitted: !!submitted }));
    } catch (error) { /* storage full: the form still works without drafts */ }
  }

  function forget(store, key) { store.removeItem(PREFIX + key); }

  function showNotice(textarea) {
    var message = document.createElement("p");
    message.className = "ds-paragraph draft-notice";
    message.setAttribute("role", "status");
    message.setAttribute("data-size", "sm");
    message.textContent = noticeText;
    textarea.insertAdjacentElement("beforebegin", message);
  }

  function restore(store, textarea, key) {
    var draft = read(store, key);
    if (!draft || typeof draft.text !== "string") return;
    var serverChanged = Number(textarea.dataset.draftSince) || 0;
    var caughtUp = draft.submitted || draft.savedAt <= serverChanged || draft.text === textarea.value;
    if (caughtUp || now() - draft.savedAt > MAX_AGE_MS) { forget(store, key); return; }
    textarea.value = draft.text;
    showNotice(textarea);
  }

  function watch(store, textarea) {
    var key = textarea.dataset.draftKey;
    var timer = null;
    restore(store, textarea, key);
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { write(store, key, textarea.value); }, DELAY_MS);
    });
    if (textarea.form) {
      // Write the last keystrokes now; the next page decides whether the draft is still needed.
      textarea.form.addEventListener("submit", function () {
        clearTimeout(timer);
        write(store, key, textarea.value, true);
      });
    }
  }

  function keepSubmittedDrafts(store) {
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (name.indexOf(PREFIX) !== 0) continue;
      var draft = read(store, name.slice(PREFIX.length));
      if (draft && draft.submitted) {
        draft.submitted = false;
        store.setItem(name, JSON.stringify(draft));
      }
    }
  }

  function start() {
    var store = storage();
    if (!store) return;
    if (script && "loginPage" in script.dataset) { keepSubmittedDrafts(store); return; }
    document.querySelectorAll("textarea[data-draft-key]").forEach(function (textarea) {
      watch(store, textarea);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
