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
 * Drafts are texts about children and school computers are shared, so they
 * belong to the user who wrote them. The storage key is
 * "iop-draft:<user>:<data-draft-key>", where <user> is the script tag's
 * data-user (a keyed hash of the user id, the same at every login; see
 * accounts/templatetags/iop_tags.py). A page with a logged-in user deletes
 * every draft of anyone else (they logged out, or their login expired and
 * someone else logged in), so only the same user gets a draft back. A page
 * without data-user (other than the login page) reads and writes none.
 * Submitting a form marked data-drafts-clear (Log out) deletes all drafts; the
 * logout response also sends Clear-Site-Data, for where this script did not run.
 *
 * The script tag carries data-server-now (epoch seconds) so browser and server
 * clocks can be compared, data-notice (the translated notice text),
 * data-user when someone is logged in and, on the login page, data-login-page.
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
  var owner = (script && script.dataset.user) || "";
  var cleared = false;  // logging out: no more drafts written from this page

  function now() { return Date.now() + clockOffset; }  // in the server's clock

  function storage() {
    // sessionStorage, not localStorage: the texts are about children and school
    // computers are shared, so a draft lives only as long as the browser tab
    // (which is what outlives an expired login), not on the disk for weeks.
    try { return window.sessionStorage; } catch (error) { return null; }  // disabled or private mode
  }

  function nameFor(key) { return PREFIX + owner + ":" + key; }  // the user's draft of a field

  function draftNames(store) {
    var names = [];
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0) names.push(name);
    }
    return names;  // a copy: removing while walking store.key(i) would skip some
  }

  function read(store, name) {
    try { return JSON.parse(store.getItem(name)); } catch (error) { return null; }
  }

  function write(store, name, text, submitted) {
    if (cleared) return;
    try {
      store.setItem(name, JSON.stringify({ text: text, savedAt: now(), submitted: !!submitted }));
    } catch (error) { /* storage full: the form still works without drafts */ }
  }

  function forget(store, name) { store.removeItem(name); }

  function forgetAll(store) {
    cleared = true;
    draftNames(store).forEach(function (name) { forget(store, name); });
  }

  function forgetOthers(store) {
    // Drafts from before they were kept per user have no owner and go too.
    var mine = PREFIX + owner + ":";
    draftNames(store).forEach(function (name) {
      if (name.indexOf(mine) !== 0) forget(store, name);
    });
  }

  function showNotice(textarea) {
    var message = document.createElement("p");
    message.className = "ds-paragraph draft-notice";
    message.setAttribute("role", "status");
    message.setAttribute("data-size", "sm");
    message.textContent = noticeText;
    textarea.insertAdjacentElement("beforebegin", message);
  }

  function restore(store, textarea, name) {
    var draft = read(store, name);
    if (!draft || typeof draft.text !== "string") return;
    var serverChanged = Number(textarea.dataset.draftSince) || 0;
    var caughtUp = draft.submitted || draft.savedAt <= serverChanged || draft.text === textarea.value;
    if (caughtUp || now() - draft.savedAt > MAX_AGE_MS) { forget(store, name); return; }
    textarea.value = draft.text;
    showNotice(textarea);
  }

  function watch(store, textarea) {
    var name = nameFor(textarea.dataset.draftKey);
    var timer = null;
    restore(store, textarea, name);
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { write(store, name, textarea.value); }, DELAY_MS);
    });
    if (textarea.form) {
      // Write the last keystrokes now; the next page decides whether the draft is still needed.
      textarea.form.addEventListener("submit", function () {
        clearTimeout(timer);
        write(store, name, textarea.value, true);
      });
    }
  }

  function keepSubmittedDrafts(store) {
    // Whoever logs in next: the page after the login keeps only that user's drafts.
    draftNames(store).forEach(function (name) {
      var draft = read(store, name);
      if (draft && draft.submitted) {
        draft.submitted = false;
        try { store.setItem(name, JSON.stringify(draft)); } catch (error) { /* the draft stays submitted */ }
      }
    });
  }

  function clearOnLogout(store) {
    document.querySelectorAll("form[data-drafts-clear]").forEach(function (form) {
      form.addEventListener("submit", function () { forgetAll(store); });
    });
  }

  function start() {
    var store = storage();
    if (!store) return;
    clearOnLogout(store);
    if (script && "loginPage" in script.dataset) { keepSubmittedDrafts(store); return; }
    if (!owner) return;  // no one logged in: no one's drafts to put back
    forgetOthers(store);
    document.querySelectorAll("textarea[data-draft-key]").forEach(function (textarea) {
      watch(store, textarea);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
