// Progressive enhancement: while someone types ounces, show (and fill in) the millilitres.
// Without this file the form still works: the server converts ounces when mL is left empty.
(function () {
  var ML_PER_OZ = 29.5735;
  var oz = document.querySelector(".js-oz");
  var ml = document.querySelector(".js-ml");
  var out = document.querySelector(".js-oz-result");
  if (!oz || !ml) { return; }
  var filledByUs = false;
  oz.addEventListener("input", function () {
    var value = parseFloat(oz.value.replace(",", "."));
    if (!isFinite(value) || value <= 0) {
      if (out) { out.textContent = ""; }
      return;
    }
    var millilitres = Math.round(value * ML_PER_OZ);
    if (ml.value === "" || filledByUs) {
      ml.value = String(millilitres);
      filledByUs = true;
    }
    if (out) { out.textContent = value + " oz is about " + millilitres + " mL."; }
  });
  ml.addEventListener("input", function () { filledByUs = false; });
})();
