// Drives rubric serve's page in Debian's headless Chromium (puppeteer-core: no browser is
// downloaded) the way an official uses it, and prints what the page showed as JSON for
// page_test.py to check:
//   type a rubric with an error → the diagnostic under the editor; fix it by typing → none;
//   open the 广汉 rubric, upload the units, score → the ranking; click a unit → its
//   explanation; download the HTML report; screenshots at 1366 and 390 px; English switch.
// Usage: node page_test.mjs CHROMIUM URL WORK_DIR FACTS_FILE RUBRIC_NAME
import fs from "node:fs";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [chromium, url, work, factsFile, rubricName] = process.argv.slice(2);
const origin = new URL(url).origin;
const seen = {};

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-proxy-server",
         "--user-data-dir=" + path.join(work, "profile")],
});
try {
  const page = await browser.newPage();
  // Everything the page asks for must come from the service itself.
  seen.foreign = [];
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:")) seen.foreign.push(u);
  });
  seen.console_errors = [];
  page.on("pageerror", (e) => seen.console_errors.push(String(e)));
  await page.setViewport({ width: 1366, height: 768 });
  await page.goto(url, { waitUntil: "networkidle0" });
  seen.title_zh = await page.$eval("h1", (e) => e.textContent);

  // 1. A rubric typed with an error: its title without quotes (line 2, column 8).
  const broken = '# typed in the page test\nrubric 小队列 { total 4 }\nsection 1 "文件" 4 {\n  item 1.1 "文件" 4 { input doc: bool  score if doc then 4 }\n}\n';
  await page.click("#editor");
  await page.keyboard.type(broken);
  await page.waitForFunction(() => document.querySelector("#check-status").classList.contains("bad"), { timeout: 20000 });
  seen.broken_status = await page.$eval("#check-status", (e) => e.textContent);
  seen.broken_diagnostics = await page.$eval("#diagnostics", (e) => e.textContent);
  // A click on the diagnostic puts the caret where it points.
  await page.click("#diagnostics .diagnostic");
  seen.caret_after_click = await page.$eval("#editor", (e) => e.selectionStart);

  // 2. Fixed by typing the two quotes around the title.
  const title = broken.indexOf("小队列");
  await page.$eval("#editor", (e, at) => e.setSelectionRange(at, at), title);
  await page.keyboard.type('"');
  await page.$eval("#editor", (e, at) => e.setSelectionRange(at, at), title + 4);
  await page.keyboard.type('"');
  await page.waitForFunction(() => !document.querySelector("#check-status").classList.contains("bad") &&
                                   document.querySelector("#check-status").textContent !== "" &&
                                   !document.querySelector("#check-status").textContent.includes("…"), { timeout: 20000 });
  seen.fixed_source = await page.$eval("#editor", (e) => e.value);
  seen.fixed_status = await page.$eval("#check-status", (e) => e.textContent);
  seen.fixed_diagnostics = await page.$eval("#diagnostics", (e) => e.textContent);

  // 3. The 广汉 rubric from the service's folder, the units uploaded, scored.
  // Wait for the file itself: the rubric typed above also holds `rubric "`, and a slow build
  // (AddressSanitizer) would click "run tests" on it before the file arrived.
  const typed = await page.$eval("#editor", (e) => e.value);
  await page.select("#file-list", rubricName);
  await page.waitForFunction((before) => document.querySelector("#editor").value !== before &&
                                         document.querySelector("#editor").value.includes("rubric \""), { timeout: 20000 }, typed);
  await page.waitForFunction(() => document.querySelector("#check-status").classList.contains("ok") ||
                                   document.querySelector("#check-status").classList.contains("warn"), { timeout: 20000 });
  await page.click("#run-tests");
  await page.waitForFunction(() => document.querySelector("#test-results").textContent.length > 0, { timeout: 60000 });
  seen.test_results = await page.$eval("#test-results", (e) => e.textContent);
  const input = await page.$("#facts-file");
  await input.uploadFile(factsFile);
  await page.click("#score");
  await page.waitForSelector("table.ranking tbody tr", { timeout: 30000 });
  seen.ranking = await page.$$eval("table.ranking tbody tr", (rows) => rows.map((r) => ({
    rank: Number(r.dataset.rank), entity: r.dataset.entity, total: r.dataset.total,
    cells: [...r.cells].map((c) => c.textContent) })));
  seen.desktop_fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  await page.screenshot({ path: path.join(work, "desktop-1366.png") });

  // 4. A unit's explanation: the third row.
  const rows = await page.$$("table.ranking tbody tr");
  await rows[2].click();
  await page.waitForFunction(() => document.querySelector("#explanation").textContent.length > 100, { timeout: 30000 });
  seen.explained_entity = seen.ranking[2].entity;
  seen.explanation = await page.$eval("#explanation", (e) => e.textContent);

  // 5. The HTML report, downloaded into WORK_DIR.
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: work });
  await page.click("#download-report-html");
  const report = path.join(work, "report.html");
  for (let i = 0; i < 300 && !fs.existsSync(report); ++i) await new Promise((r) => setTimeout(r, 100));
  seen.report_downloaded = fs.existsSync(report);
  await page.click("#download-template-xlsx");
  const template = path.join(work, "template.xlsx");
  for (let i = 0; i < 300 && !fs.existsSync(template); ++i) await new Promise((r) => setTimeout(r, 100));
  seen.template_downloaded = fs.existsSync(template);

  // 6. A phone: 390 px wide, nothing wider than the screen but the ranking's own scroller.
  await page.setViewport({ width: 390, height: 844 });  // (isMobile would reload the page)
  await new Promise((r) => setTimeout(r, 300));
  seen.phone_fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  await page.screenshot({ path: path.join(work, "phone-390.png") });

  // 7. English.
  await page.click("#lang-en");
  seen.title_en = await page.$eval("h1", (e) => e.textContent);
  seen.score_button_en = await page.$eval("#score", (e) => e.textContent);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(seen) + "\n");
