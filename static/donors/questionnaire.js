// Autosave for the questionnaire (progressive enhancement: the form works without this file).
// Every ~20 seconds, and when the page is hidden or left, POST what is typed in this section to the save
// endpoint. The CSRF token travels in the form data, as with a normal submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave-url");
  var status = form.querySelector(".autosave-status");
  var dirty = false;
  var submitting = false;

  function say(text) { if (status) { status.textContent = text; } }
  // The words come from the page, in the donor's language (data-* attributes on the form).
  function words(name, fallback) { return form.getAttribute("data-" + name) || fallback; }

  function save(leaving) {
    if (!dirty || submitting) { return; }
    dirty = false;
    var request = fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      keepalive: !!leaving,
      headers: { "X-Requested-With": "fetch" }
    });
    if (leaving) { return; }
    request.then(function (response) {
      return response.json().then(function (data) {
        if (data.saved) {
          var problems = Object.keys(data.errors || {}).length;
          var text = problems
            ? words("saved-check", "Saved at {time}. One or more answers need a look before you continue.")
            : words("saved", "Saved at {time}.");
          say(text.replace("{time}", data.saved_at));
        } else {
          dirty = true;
          say(words("not-saved", "Not saved just now. Your answers are still on this page."));
        }
      });
    }).catch(function () {
      dirty = true;
      say(words("offline", "Not saved just now (no connection?). Your answers are still on this page."));
    });
  }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { submitting = true; });
  window.setInterval(function () { save(false); }, 20000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });
}());
