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

// Uploads with a progress bar: the file goes as the raw body to the API, with the session cookie.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = document.getElementById("upload-file").files[0];
    var label = document.getElementById("upload-label").value.trim();
    var status = document.getElementById("upload-status");
    var bar = document.getElementById("upload-progress");
    if (!file || !label) { return; }
    var max = parseInt(form.getAttribute("data-max"), 10);
    if (max && file.size > max) {
      status.textContent = status.getAttribute("data-failed") + ": " + Math.round(max / 1048576) + " MB max";
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/dossiers/" + encodeURIComponent(form.getAttribute("data-code")) + "/documents?label=" +
      encodeURIComponent(label) + "&filename=" + encodeURIComponent(file.name));
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    bar.hidden = false;
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
    });
    xhr.addEventListener("load", function () {
      if (xhr.status === 201) {
        status.textContent = status.getAttribute("data-done");
        window.location.reload();
      } else {
        var detail = "";
        try { detail = JSON.parse(xhr.responseText).detail || ""; } catch (e) { detail = String(xhr.status); }
        status.textContent = status.getAttribute("data-failed") + ": " + detail;
      }
    });
    xhr.addEventListener("error", function () { status.textContent = status.getAttribute("data-failed"); });
    xhr.send(file);
  });
})();
