// Type-ahead for the area search: fills the datalist from the API as the voter types.
// The form works without this script; it only saves keystrokes.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("area-options");
  if (!input || !list || !input.form || !window.fetch) return;
  var kind = input.getAttribute("data-kind");
  var timer = null;
  var last = "";
  var codes = {}; // suggestion text -> area code, for the suggestions on screen

  // A picked suggestion names one area: the form sends its code, so that wards sharing
  // a name (dozens do in Kenya) never send the voter to a list of matches.
  var area = document.createElement("input");
  area.type = "hidden";
  area.name = "area";
  area.disabled = true;
  input.form.appendChild(area);

  function fill(items) {
    var count = {};
    items.forEach(function (a) { count[a.name] = (count[a.name] || 0) + 1; });
    while (list.firstChild) list.removeChild(list.firstChild);
    codes = {};
    items.forEach(function (a) {
      var text = count[a.name] > 1 ? a.name + " (" + a.code + ")" : a.name;
      var option = document.createElement("option");
      option.value = text;
      option.label = "code " + a.code;
      codes[text] = a.code;
      list.appendChild(option);
    });
  }

  input.addEventListener("input", function () {
    var text = input.value.trim();
    var code = Object.prototype.hasOwnProperty.call(codes, text) ? codes[text] : "";
    area.value = code;
    area.disabled = !code;
    if (code || text.length < 2 || text === last) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      last = text;
      var url = "/api/v1/areas?per_page=20&kind=" + encodeURIComponent(kind) + "&q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (page) { if (input.value.trim() === text) fill(page.items); })
        .catch(function () { /* the plain form still works */ });
    }, 150);
  });
})();
