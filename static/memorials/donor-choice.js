// Butterfly form in the admin: choosing a bereaved donor fills the baby's first name and birth date from the
// donor's record when those boxes are still empty. Without this script the server fills them on save.
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("id_donor");
  if (!select) { return; }
  select.addEventListener("change", function () {
    var option = select.options[select.selectedIndex];
    if (!option) { return; }
    var pairs = [["id_first_name", "babyFirstName"], ["id_birth_date", "babyBirthDate"]];
    pairs.forEach(function (pair) {
      var input = document.getElementById(pair[0]);
      var value = option.dataset[pair[1]];
      if (input && value && !input.value) { input.value = value; }
    });
  });
});
