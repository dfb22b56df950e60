{#- Photos (img.nanti, generator/site/images.py) are fetched after the page has loaded, when they
    come within 100 px of the screen; 960 px copies only on screens 600 px and wider. -#}
(function () {
  var wide = window.matchMedia("(min-width: 600px)").matches;
  function show(img) {
    if (wide && img.getAttribute("data-srcset")) {
      img.sizes = "480px";
      img.srcset = img.getAttribute("data-srcset");
    }
    img.src = img.getAttribute("data-src");
    img.className = "";
  }
  function start() {
    var images = [].slice.call(document.querySelectorAll("img.nanti"));
    if (!("IntersectionObserver" in window)) { images.forEach(show); return; }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) { seen.unobserve(e.target); show(e.target); } });
    }, { rootMargin: "100px" });
    images.forEach(function (img) { seen.observe(img); });
  }
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);
})();
