// Registration: when a country is chosen, its time zones come first in the zone list, and a
// country with only one is chosen for the person. Without this script the server does the
// same after the form is sent (and asks which zone when the country has several).
(function () {
  "use strict";
  var data = document.getElementById("country-zones");
  var words = document.getElementById("zone-words");
  var country = document.getElementById("country");
  var zone = document.getElementById("timezone");
  if (!data || !words || !country || !zone) { return; }
  var zones = JSON.parse(data.textContent);
  // The page's words, in its language; "%(country)s" stands for the country's name.
  words = JSON.parse(words.textContent);
  function say(key, name) { return words[key].replace("%(country)s", name); }
  var first = zone.options[0];

  function showZonesOf(code) {
    var old = zone.querySelector("optgroup[data-country]");
    if (old) { old.remove(); }
    var own = zones[code] || [];
    if (!own.length) { first.textContent = say("own", ""); return; }
    var name = country.options[country.selectedIndex].textContent;
    var group = document.createElement("optgroup");
    group.label = say("group", name);
    group.setAttribute("data-country", code);
    own.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      group.appendChild(option);
    });
    zone.insertBefore(group, first.nextSibling);
    if (own.length === 1) {
      zone.value = own[0][0];
    } else {
      first.textContent = say("choose", name);
      zone.value = "";
    }
  }

  country.addEventListener("change", function () { showZonesOf(country.value); });
})();
