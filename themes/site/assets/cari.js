// Pagefind search, fetched only when the visitor focuses or types in the search box.
(function () {
  var form = document.querySelector(".kd-cari");
  if (!form) return;
  var input = form.querySelector("input"), out = document.getElementById("kd-hasil");
  var root = new URL(form.getAttribute("data-base") + "/", location.href).pathname;
  var engine = null, timer = null;
  function load() {
    if (!engine) engine = import(root + "pagefind/pagefind.js").then(function (pf) {
      return pf.options({ baseUrl: root }).then(function () { pf.init(); return pf; });
    });
    return engine;
  }
  function esc(t) { return String(t).replace(/[&<>"]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function show(q) {
    if (!q.trim()) { out.innerHTML = ""; return; }
    load().then(function (pf) { return pf.search(q); }).then(function (res) {
      return Promise.all(res.results.slice(0, 8).map(function (r) { return r.data(); }));
    }).then(function (items) {
      if (input.value !== q) return;
      out.innerHTML = items.length ? "<ol>" + items.map(function (d) {
        return '<li><a href="' + esc(d.url) + '">' + esc(d.meta.title || d.url) + "</a><p>" + d.excerpt + "</p></li>";
      }).join("") + "</ol>" : "<p>Tidak ditemukan. Coba kata lain.</p>";
    });
  }
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { show(input.value); }, 150); });
  form.addEventListener("submit", function (e) { e.preventDefault(); show(input.value); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; show(q); }
})();
