/*
 * The warning before the idle logout (accounts/idle.py), progressive enhancement.
 *
 * The server logs out a login that has made no request for a while (30 minutes for staff by
 * default). This script shows the <dialog id="idle-dialog"> from
 * templates/includes/idle_script.html a little before that, with a button that keeps the
 * login: it POSTs to the keep-alive URL, which counts as a request. Typing in a form counts as
 * activity too: it calls the same URL, at most once a minute.
 *
 * When the time is up the page does nothing on its own: the dialog says the login has ended,
 * and its button reloads the page, which leads to the login page and back. Texts being written
 * are kept by static/js/drafts.js and put back after logging in again.
 *
 * Several tabs share one login: each page and each keep-alive answer writes the time the
 * login ends (in the browser's clock) to localStorage, and every tab goes by the latest
 * answer, so working in one tab does not bring up the warning in another. The value is only
 * a time, nothing about anyone.
 *
 * The script tag carries data-idle-remaining (seconds left when the page was made),
 * data-warning-seconds (how long before the end to warn), data-keepalive-url and data-login-url.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var KEY = "iop-idle-ends";
  var PING_EVERY_MS = 60 * 1000;
  var remaining = Number(script.dataset.idleRemaining);
  var warningMs = Number(script.dataset.warningSeconds) * 1000;
  var keepaliveUrl = script.dataset.keepaliveUrl;
  var loginPath = script.dataset.loginUrl || "";
  if (!(remaining >= 0) || !keepaliveUrl) return;

  var endsAt = Date.now() + remaining * 1000;  // this tab's idea of when the login ends
  var lastPing = Date.now();
  var pinging = false;
  var expired = false;
  var timer = null;
  var returnFocus = null;
  var dialog, warningText, expiredText, continueButton, loginButton;

  function shared() {
    try { return Number(window.localStorage.getItem(KEY)) || 0; } catch (error) { return 0; }
  }

  function share(time) {
    // The server's latest answer (a page, a keep-alive) is the one that counts, in whichever tab.
    try { window.localStorage.setItem(KEY, String(time)); } catch (error) { /* no storage */ }
  }

  function ends() { return shared() || endsAt; }

  function csrfToken() {
    // The Log out form of every logged-in page carries the token.
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function open() {
    if (dialog.open) return;
    returnFocus = document.activeElement;
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    (expired ? loginButton : continueButton).focus();
  }

  function close() {
    if (!dialog.open) return;
    if (typeof dialog.close === "function") dialog.close();
    else dialog.removeAttribute("open");
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
  }

  function showExpired() {
    expired = true;
    clearTimeout(timer);
    warningText.hidden = true;
    continueButton.hidden = true;
    expiredText.hidden = false;
    loginButton.hidden = false;
    if (dialog.open) loginButton.focus();
    else open();
  }

  function schedule() {
    clearTimeout(timer);
    if (expired) return;
    var left = ends() - Date.now();
    if (left <= 0) { showExpired(); return; }
    if (left <= warningMs) {
      open();
      timer = setTimeout(schedule, Math.min(left, 1000));
      return;
    }
    close();
    timer = setTimeout(schedule, Math.min(left - warningMs, 60 * 1000));
  }

  function ping() {
    if (pinging || expired) return;
    pinging = true;
    lastPing = Date.now();
    fetch(keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
    }).then(function (response) {
      // An ended login is sent to the login page: that is the answer. (Another redirect, say
      // to a step of the login still owed, says nothing about the time.)
      if (response.redirected && new URL(response.url).pathname === loginPath) {
        showExpired();
        throw new Error("logged out");
      }
      if (!response.ok || response.redirected) throw new Error("not kept");
      return response.json();
    }).then(function (answer) {
      endsAt = Date.now() + Number(answer.remaining) * 1000;
      share(endsAt);
      schedule();
    }).catch(function () {
      schedule();  // the login has ended (or the network is down): go by the clock
    }).then(function () { pinging = false; });
  }

  function start() {
    dialog = document.getElementById("idle-dialog");
    if (!dialog) return;
    warningText = dialog.querySelector("[data-idle-warning]");
    expiredText = dialog.querySelector("[data-idle-expired]");
    continueButton = dialog.querySelector("[data-idle-continue]");
    loginButton = dialog.querySelector("[data-idle-login]");
    share(endsAt);
    continueButton.addEventListener("click", function () { close(); ping(); });
    loginButton.addEventListener("click", function () { window.location.assign(window.location.href); });
    dialog.addEventListener("cancel", function (event) {
      // Escape: a key pressed is activity; once the login has ended there is nothing to keep.
      if (expired) { event.preventDefault(); return; }
      ping();
    });
    document.addEventListener("input", function () {
      if (!expired && Date.now() - lastPing >= PING_EVERY_MS) ping();
    }, true);
    window.addEventListener("storage", function (event) { if (event.key === KEY) schedule(); });
    schedule();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
