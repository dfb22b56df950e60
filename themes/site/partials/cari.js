{#- Pagefind search, fetched only when the visitor focuses or types in the search box. Without
    JavaScript the form goes to the service list. Several indexes (the portal) are merged. -#}
(function () {
  var form = document.querySelector(".cari");
  if (!form) return;
  var input = form.querySelector("input"), out = document.getElementById("kd-hasil");
  var roots = form.getAttribute("data-indeks").split(" ").map(function (p) {
    return new URL(p, location.href).pathname;
  });
  var engine = null, timer = null;
  function load() {
    if (!engine) engine = import(roots[0] + "pagefind/pagefind.js").then(function (pf) {
      return pf.options({ baseUrl: roots[0], excerptLength: 24 }).then(function () {
        return Promise.all(roots.slice(1).map(function (r) {
          return pf.mergeIndex(r + "pagefind/", { baseUrl: r });
        }));
      }).then(function () { return pf; });
    });
    return engine;
  }
  function esc(t) { return String(t).replace(/[&<>"]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function item(d) {
    var where = roots.length > 1 && d.meta.kelurahan ? "<br><small>" + esc(d.meta.kelurahan) + "</small>" : "";
    return '<li><a href="' + esc(d.url) + '">' + esc(d.meta.title || d.url) + "</a>" + where + "<p>" + d.excerpt + "</p></li>";
  }
  {#- Eight results at a time (each is one small download on a slow line), then a button. -#}
  function show(q) {
    if (!q.trim()) { out.innerHTML = ""; return; }
    load().then(function (pf) { return pf.search(q); }).then(function (res) {
      var all = res.results, shown = 0;
      var head = '<p class="jumlah">' + (all.length ? all.length + " hasil untuk \u201c" + esc(q) + "\u201d"
        : "Tidak ditemukan untuk \u201c" + esc(q) + "\u201d. Coba kata lain.") + "</p>" + (all.length ? "<ol></ol>" : "");
      function more(first) {
        var next = all.slice(shown, shown + 8);
        shown += next.length;
        return Promise.all(next.map(function (r) { return r.data(); })).then(function (items) {
          if (input.value !== q) return;
          if (first === true) out.innerHTML = head;  {#- the count and its first results together -#}
          if (items.length) out.querySelector("ol").insertAdjacentHTML("beforeend", items.map(item).join(""));
          var button = out.querySelector(".lagi");
          if (shown < all.length && !button) {
            out.insertAdjacentHTML("beforeend", '<button type="button" class="lagi">Tampilkan hasil berikutnya</button>');
            out.querySelector(".lagi").addEventListener("click", more);
          } else if (shown >= all.length && button) {
            button.remove();
          }
        });
      }
      return more(true);
    });
  }
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { show(input.value); }, 200); });
  form.addEventListener("submit", function (e) { e.preventDefault(); show(input.value); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; show(q); }
})();
