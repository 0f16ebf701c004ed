/* Submit a form marked data-autosubmit once the page has loaded (the provider logout);
 * without JavaScript the user presses its button. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
})();
