/* The help pages' quick exit (templates/help/_quick_exit.html): leave for a neutral site at once.
 *
 * location.replace() puts the neutral site in place of this page, so the back button does not lead here from
 * it. The page is hidden first, so that it is not seen while the other site loads. Escape pressed three times
 * within two seconds does the same as the button. Without this script the button is an ordinary link.
 */
(function () {
  "use strict";

  var button = document.querySelector("[data-quick-exit]");
  if (!button) {
    return;
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.body.hidden = true;
    document.title = "";
    window.location.replace(button.href);
  }

  button.addEventListener("click", leave);

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (moment) { return now - moment < 2000; });
    presses.push(now);
    if (presses.length >= 3) {
      leave(event);
    }
  });
})();
