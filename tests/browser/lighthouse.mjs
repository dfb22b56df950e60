// Lighthouse (its default: mobile) on each URL, one after the other in one headless Chromium
// (/usr/bin/chromium), for tests/browser/test_lighthouse.py. Prints one JSON object:
// {url: {"scores": {category: 0-100 or null}, "failed": [audit ids scoring < 1], "error": code}}.
//
//   node lighthouse.mjs LIGHTHOUSE_DIR CATEGORIES URL...
//
// LIGHTHOUSE_DIR is where `make lighthouse` installed the pinned npm package (.tools/lighthouse).
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dir, categories, ...urls] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(path.resolve(dir, "node_modules", file)).href);
const { default: lighthouse } = await load("lighthouse/core/index.js");
const { launch } = await load("chrome-launcher/dist/index.js");

const only = categories.split(",");
const chrome = await launch({
  chromePath: "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
const results = {};
try {
  for (const url of urls) {
    const { lhr } = await lighthouse(url, { port: chrome.port, onlyCategories: only, logLevel: "error" });
    const scored = new Set(Object.values(lhr.categories).flatMap(
      (c) => c.auditRefs.filter((a) => a.weight > 0).map((a) => a.id)));
    results[url] = {
      scores: Object.fromEntries(Object.values(lhr.categories).map(
        (c) => [c.id, c.score === null ? null : Math.round(c.score * 100)])),
      failed: [...scored].filter((id) => lhr.audits[id].score !== null && lhr.audits[id].score < 1),
      error: lhr.runtimeError ? lhr.runtimeError.code : null,
    };
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results));
