// Type-ahead for the area search: fills the datalist from the API as the voter types.
// The form works without this script; it only saves keystrokes.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("area-options");
  if (!input || !list || !window.fetch) return;
  var kind = input.getAttribute("data-kind");
  var timer = null;
  var last = "";

  function fill(items) {
    while (list.firstChild) list.removeChild(list.firstChild);
    items.forEach(function (area) {
      var option = document.createElement("option");
      option.value = area.name;
      option.label = area.name + " (" + area.code + ")";
      list.appendChild(option);
    });
  }

  input.addEventListener("input", function () {
    var text = input.value.trim();
    if (text.length < 2 || text === last) return;
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
