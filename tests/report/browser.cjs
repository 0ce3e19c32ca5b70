// Open a status report in real headless Chromium (the system's, through puppeteer-core), as a
// person would: take a screenshot, collect console errors and failed requests, check that the
// rendered DOM holds the expected text, and run axe-core's accessibility rules.
//
//   node browser.cjs REPORT.html SCREENSHOT.png EXPECTED.json
//
// EXPECTED.json: { "texts": ["…", …] }, and optionally "fullPage": false with "height" (a
// screenshot of the top of the page) or "element": a CSS selector to screenshot. Prints one JSON object with what it found; exits 0
// when there are no console errors, no failed requests, every text is present and axe
// reports no serious or critical violation; 1 otherwise; 2 when it cannot run.
"use strict";
const fs = require("fs");
const path = require("path");

const [report, screenshot, expectedFile] = process.argv.slice(2);
if (!report || !screenshot || !expectedFile) {
  console.error("usage: node browser.cjs REPORT.html SCREENSHOT.png EXPECTED.json");
  process.exit(2);
}
const modules = process.env.PLAN_LINT_BROWSER_MODULES;
const need = (name) => require(modules ? path.join(modules, name) : name);

(async () => {
  const puppeteer = need("puppeteer-core");
  const axeSource = fs.readFileSync(require.resolve(modules ? path.join(modules, "axe-core") : "axe-core"), "utf8");
  const expected = JSON.parse(fs.readFileSync(expectedFile, "utf8"));
  const profile = fs.mkdtempSync(path.join(require("os").tmpdir(), "plan-lint-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    userDataDir: profile,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const found = { consoleErrors: [], failedRequests: [], externalRequests: [], missing: [], violations: [] };
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: expected.height || 900 });
    page.on("console", (message) => {
      if (message.type() === "error") found.consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => found.consoleErrors.push(String(error)));
    page.on("requestfailed", (request) => found.failedRequests.push(request.url()));
    page.on("request", (request) => {
      // A self-contained page fetches nothing but itself.
      if (!request.url().startsWith("file:") && !request.url().startsWith("data:")) {
        found.externalRequests.push(request.url());
      }
    });
    await page.goto("file://" + path.resolve(report), { waitUntil: "load" });
    // Sections off screen are rendered when scrolled to (content-visibility: auto), and only
    // rendered text is in innerText: render them all, as a reader scrolling down would.
    const text = await page.evaluate(() => {
      document.querySelectorAll("main > section").forEach((s) => { s.style.contentVisibility = "visible"; });
      return document.body.innerText;
    });
    for (const wanted of expected.texts || []) {
      if (!text.includes(wanted)) found.missing.push(wanted);
    }
    // The script must have run: the overview's headers became sort buttons.
    found.sortButtons = await page.evaluate(() => document.querySelectorAll("#overview-table th button.sort").length);
    if (expected.element) {
      await (await page.$(expected.element)).screenshot({ path: screenshot });
    } else {
      await page.screenshot({ path: screenshot, fullPage: expected.fullPage !== false });
    }
    await page.evaluate(axeSource);
    const results = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      return await axe.run(document, { resultTypes: ["violations"] });
    });
    found.violations = results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const serious = found.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  console.log(JSON.stringify(found, null, 2));
  const ok = found.consoleErrors.length === 0 && found.failedRequests.length === 0 &&
    found.externalRequests.length === 0 && found.missing.length === 0 && serious.length === 0 &&
    found.sortButtons > 0;
  process.exit(ok ? 0 : 1);
})().catch((error) => {
  console.error(String(error && error.stack || error));
  process.exit(2);
});
