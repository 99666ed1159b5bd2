// The optional self-check answers as soon as a box is ticked (progressive enhancement: without this file the
// "Check my answers" button posts the same check to the server). Nothing here is sent anywhere.
(function () {
  "use strict";
  var form = document.querySelector("form.js-self-check");
  var result = document.querySelector(".self-check-result");
  if (!form || !result || !("content" in document.createElement("template"))) { return; }
  form.addEventListener("change", function () {
    var ticked = Array.prototype.map.call(
      form.querySelectorAll("input[type=checkbox]:checked"), function (box) { return box.value; }
    );
    var template = document.getElementById(ticked.length ? "self-check-some" : "self-check-none");
    if (!template) { return; }
    var answer = template.content.cloneNode(true);
    answer.querySelectorAll("[data-item]").forEach(function (item) {
      if (ticked.indexOf(item.getAttribute("data-item")) === -1) { item.remove(); }
    });
    result.replaceChildren(answer);
  });
}());
