// Butterfly form in the admin: choosing a bereaved donor in the search box (the admin's own select2) fills the
// baby's first name and birth date from the donor's record when those boxes are still empty. Without this
// script the server fills them on save.
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("id_donor");
  var jq = window.django && window.django.jQuery;
  if (!select || !jq) { return; }
  jq(select).on("select2:select", function (event) {
    var donor = event.params.data;
    var pairs = [["id_first_name", donor.baby_first_name], ["id_birth_date", donor.baby_birth_date]];
    pairs.forEach(function (pair) {
      var input = document.getElementById(pair[0]);
      if (input && pair[1] && !input.value) { input.value = pair[1]; }
    });
  });
});
