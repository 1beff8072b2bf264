// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // As-you-type procedure suggestions on the home page.
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (input && list) {
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { list.textContent = ""; return; }
      timer = setTimeout(function () {
        fetch("/api/v1/procedures?limit=8&q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (page) {
            list.textContent = "";
            (page.items || []).forEach(function (p) {
              var li = document.createElement("li");
              var a = document.createElement("a");
              a.href = "/thu-tuc/" + encodeURIComponent(p.code);
              a.textContent = p.name;
              li.appendChild(a);
              list.appendChild(li);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 200);
    });
  }
})();
