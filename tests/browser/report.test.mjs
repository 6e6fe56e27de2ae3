// The provincial officer's annual report desk (harness: harness.mjs): a real
// binhan-server holding the de-identified statistics a collaborator's vault
// uploaded sealed to the office's key (nine synthetic cases with statistics
// consent) and the officer's programme registries; the officer opens the
// report in the browser (made in its vault, which alone opens them), sees
// the chart and the tables, downloads the XLSX and the CSV, and the figures
// read back from the workbook equal the screen's and the CSV's. All data is
// synthetic.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  BIN, DESK, PHONE, PIN, SHOTS, browser, button, click, console_, drawn, group, look, serverWithOfficer, test, unlock, work,
} from "./harness.mjs";

const require = createRequire(join(process.env.NODE_PATH, "noop.js"));
const { unzipSync, strFromU8 } = require("fflate");

/** Today in Vietnam (UTC+7), as YYYY-MM-DD. */
const today = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
/** The report's default year: that of the period (1 December to 30 November) holding today. */
const YEAR = Number(today.slice(0, 4)) + (today.slice(5, 7) === "12" ? 1 : 0);

/** A synthetic adult survivor's case in Xã Pa Ủ, with statistics consent. */
function intake(n, violence, delivered) {
  return {
    survivor: { code: `SYN-RPT-${n}`, sex: "female", age_years: 30 + n, ethnic_group: "thai", commune: "pa_u" },
    incident: {
      date: today, time_of_day: "morning", place_type: "survivor_home", commune: "pa_u",
      violence_type: violence, contexts: ["intimate_partner_family"], perpetrators: [],
      reported_elsewhere: false, reported_on: today,
    },
    consents: [
      { scope: "statistics", granted: true, given_by: "survivor" },
      ...(delivered ? [{ scope: { service: { service: "health", recipient: "Synthetic health station" } }, granted: true, given_by: "survivor" }] : []),
    ],
    services: delivered ? [{ service: "health", outcome: "delivered", date: today, provider: "Synthetic health station" }] : [],
  };
}

/** The officer's programme registries: 9 of 12 trained, 2 of 2 schools, 0 of 1 enterprise. */
const registries = {
  training_sessions: [{
    date: today, commune: "pa_u", title: "Tập huấn (synthetic)",
    attendees: [
      ...[...Array(8).keys()].map((i) => ({ person: `SYN-CTV-${i}`, commune: "pa_u", role: "collaborator" })),
      { person: "SYN-CB-0", commune: "pa_u", role: "official" },
    ],
  }],
  training_targets: [{ commune: "pa_u", collaborators: 10, officials: 2 }],
  schools: [
    { name: "Trường synthetic A", commune: "pa_u", procedure_since: today },
    { name: "Trường synthetic B", commune: "pa_u", procedure_since: today },
  ],
  enterprises: [{ name: "Doanh nghiệp synthetic", commune: "pa_u", rules_since: null }],
};

/** A server with statistics and registries in it, and the officer's vault enrolled. */
async function seeded() {
  const officer = await serverWithOfficer("report-officer");
  // The officer's vault keeps the provincial signing key; its sync publishes
  // the office's statistics key, which the collaborator's phone seals to.
  officer.cli(["shelters", "signing-key", "--generate"]);
  officer.cli(["sync"]);
  const { code } = officer.cli(["invite", "--role", "collaborator", "--commune", "pa_u"]);
  const vault = join(work, "report-collaborator");
  const cli = (args, env = {}, input) => JSON.parse(execFileSync(BIN, ["--vault", vault, ...args], {
    encoding: "utf8", input, env: { ...process.env, BINHAN_PIN: PIN, ...env } }));
  cli(["init", "--kdf-memory-mib", "46", "--kdf-iterations", "1"]);
  cli(["enrol", "--server", officer.server, "--label", "synthetic report collaborator"], { BINHAN_INVITATION: code });
  // Seven physical assaults with a service delivered, two psychological
  // abuses without: 9 survivors, and small cells to suppress.
  for (let n = 0; n < 9; n++) {
    cli(["case", "create"], {}, JSON.stringify(n < 7 ? intake(n, "physical_assault", true) : intake(n, "psychological_abuse", false)));
  }
  cli(["sync"]);
  const file = join(work, "report-registries.json");
  writeFileSync(file, JSON.stringify(registries));
  officer.cli(["registry", "record", "--file", file]);
}

/** The sheets of an XLSX file: name → rows of cell values (numbers as numbers). */
function readXlsx(path) {
  const files = unzipSync(readFileSync(path));
  const xml = (name) => strFromU8(files[name]);
  const unescape = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  const shared = [...xml("xl/sharedStrings.xml").matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => unescape([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")));
  const rels = Object.fromEntries([...xml("xl/_rels/workbook.xml.rels").matchAll(/<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"/g)]
    .map((m) => [m[1], m[2]]));
  const column = (ref) => [...ref.replace(/\d+$/, "")].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  const sheets = new Map();
  for (const m of xml("xl/workbook.xml").matchAll(/<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"/g)) {
    const rows = [];
    for (const row of xml(`xl/${rels[m[2]].replace(/^\/?xl\//, "")}`).matchAll(/<row [^>]*?r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
      const cells = [];
      for (const c of row[2].matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const v = (c[3] || "").match(/<v>([\s\S]*?)<\/v>/);
        if (!v) continue;
        cells[column(c[1])] = /t="s"/.test(c[2]) ? shared[Number(v[1])] : /t="str"/.test(c[2]) ? unescape(v[1]) : Number(v[1]);
      }
      rows[Number(row[1]) - 1] = cells;
    }
    sheets.set(unescape(m[1]), rows);
  }
  return sheets;
}

/** The value of the row labelled `label`, under the heading `heading`, in a sheet. */
function sheetValue(sheet, label, heading) {
  const headings = sheet.find((r) => r && r.includes(heading));
  assert.ok(headings, `a heading "${heading}"`);
  const row = sheet.find((r) => r && r[0] === label);
  assert.ok(row, `a row "${label}"`);
  return row[headings.indexOf(heading)];
}

/** CSV lines (`table,row_code,row,column_code,column,value`) as a map. */
function readCsv(path) {
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  const values = new Map();
  for (const line of text.split("\r\n").slice(1).filter(Boolean)) {
    const fields = [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, "").replace(/""/g, '"'));
    values.set(`${fields[0]}/${fields[1]}/${fields[3]}`, fields[5]);
  }
  return values;
}

/** Downloads through the browser what pressing `act` saves. */
async function download(page, act) {
  const saved = page.waitForEvent("download");
  await drawn(page, act);
  const file = await saved;
  const path = join(work, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

test("the officer opens the annual report, sees its chart and tables, and the XLSX and CSV downloaded say the same", async () => {
  await seeded();
  const { url, origin } = await console_("report-officer");
  const { context, page } = await browser(DESK);
  await unlock(page, url);
  await click(page, button(page, "Báo cáo định kỳ hằng năm"));
  // The report is made in the background; the page's long poll draws it.
  await page.locator("section.chart li.bar").first().waitFor({ timeout: 60000 });
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Báo cáo định kỳ hằng năm");
  assert.equal(await group(page, "Năm báo cáo").getByRole("button", { name: String(YEAR), exact: true }).getAttribute("aria-pressed"), "true");
  await look(page, "report");

  // The chart: bars in SVG, each with its text alternative and its figures in words.
  const bar = (code) => page.locator(`li.bar[data-code="${code}"]`);
  assert.equal(await bar("share_trained").locator("strong.value").textContent(), "75%");
  assert.match(await bar("share_trained").textContent(), /chưa đạt/);
  assert.match(await bar("share_trained").locator('svg[role="img"]').getAttribute("aria-label"), /75%; mục tiêu 2030: 80%; chưa đạt/);
  assert.equal(await bar("share_schools").locator("strong.value").textContent(), "100%");
  assert.equal(await bar("share_schools").getAttribute("data-met"), "met");
  assert.equal(await bar("share_with_service").locator("strong.value").textContent(), "ẩn");
  assert.equal(await bar("share_with_service").getAttribute("data-met"), "unknown");
  const figure = await page.locator('section.chart [data-code="survivors_detected"] dd').textContent();
  assert.match(figure, /^9 \(năm trước: 0\)$/);
  const detected = figure.split(" ")[0];

  // The tables, chosen with the keyboard; suppressed cells say so.
  const cell = (row, column) => page.locator(`table.report-table tr[data-row="${row}"] td[data-code="${column}"]`);
  assert.equal(await page.locator("table.report-table").getAttribute("data-table"), "survivors");
  assert.equal(await cell("pa_u", "total").textContent(), "9");
  assert.equal(await cell("pa_u", "without_service").textContent(), "ẩn");
  assert.equal(await cell("pa_u", "without_service").getAttribute("class"), "suppressed");
  const types = group(page, "Chọn bảng").getByRole("button", { name: "Loại bạo lực", exact: true });
  await types.focus();
  await drawn(page, () => page.keyboard.press("Enter"));
  assert.equal(await page.locator("table.report-table").getAttribute("data-table"), "violence_type");
  assert.equal(await page.locator("table.report-table caption").textContent(), "Người bị bạo lực theo loại bạo lực");
  await look(page, "report-table");

  // The workbook preview names the file's sheets.
  const previewed = await page.locator("section.workbook table.sheet").evaluateAll((ts) => ts.map((t) => t.dataset.sheet));

  // The downloads: the XLSX with the mouse, the CSV with the keyboard.
  const xlsx = await download(page, () => button(page, /^Tải về XLSX/).click());
  assert.equal(xlsx.name, `bao-cao-blg-${YEAR}.xlsx`);
  await button(page, /^Tải về CSV/).focus();
  const csv = await download(page, () => page.keyboard.press("Enter"));
  assert.equal(csv.name, `bao-cao-blg-${YEAR}.csv`);
  await look(page, "report-downloaded");

  // In print: the chart and its figures, without the buttons.
  await page.emulateMedia({ media: "print" });
  assert.ok(await bar("share_trained").locator("svg").isVisible());
  assert.ok(await bar("share_trained").locator("strong.value").isVisible());
  assert.ok(!(await button(page, /^Tải về XLSX/).isVisible()), "no buttons on paper");
  assert.ok(!(await page.locator("header .quick-exit button").isVisible()));
  await page.screenshot({ path: join(SHOTS, "report-print-desk.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });

  // The download route: an attachment, never stored, only with the session.
  const served = await context.request.get(`${origin}/download`);
  assert.equal(served.status(), 200);
  assert.match(served.headers()["content-disposition"], /^attachment; filename="bao-cao-blg-\d{4}\.csv"$/);
  assert.equal(served.headers()["cache-control"], "no-store");
  assert.equal((await fetch(`${origin}/download`)).status, 401, "no session, no file");

  // The figures read back from the workbook equal the screen's and the CSV's.
  const book = readXlsx(xlsx.path);
  assert.deepEqual([...book.keys()], previewed, "the preview shows the file's sheets");
  const lines = readCsv(csv.path);
  const indicators = book.get("Chỉ tiêu");
  const read = (label) => sheetValue(indicators, label, "Năm báo cáo");
  assert.equal(read("Số người bị bạo lực trên cơ sở giới được phát hiện"), Number(detected));
  assert.equal(lines.get("indicators/survivors_detected/value"), detected);
  const trained = read("Tỷ lệ cán bộ, công chức, viên chức và cộng tác viên làm công tác xã hội được tập huấn (%)");
  assert.equal(`${trained}%`, await bar("share_trained").locator("strong.value").textContent());
  assert.equal(Number(lines.get("indicators/share_trained/value")), trained);
  assert.equal(read("Tỷ lệ người bị bạo lực được tiếp cận ít nhất một dịch vụ hỗ trợ (%)"), "x", "suppressed in the file too");
  assert.equal(lines.get("indicators/share_with_service/value"), "x");
  const violence = book.get("Loại bạo lực");
  for (const [code, heading] of [["physical_assault", "bạo lực thể chất"], ["psychological_abuse", "bạo lực tinh thần"], ["total", "Tổng số người bị bạo lực được phát hiện"]]) {
    const onScreen = await cell("pa_u", code).textContent();
    const inBook = sheetValue(violence, "Xã Pa Ủ", heading);
    assert.equal(onScreen === "ẩn" ? "x" : Number(onScreen), inBook, `${code}: the screen and the workbook`);
    assert.equal(lines.get(`violence_type/pa_u/${code}`), String(inBook), `${code}: the workbook and the CSV`);
  }
  assert.equal(sheetValue(violence, "Xã Pa Ủ", "Tổng số người bị bạo lực được phát hiện"), 9);
  assert.equal(sheetValue(book.get("Người bị BLG"), "Xã Pa Ủ", "Chưa được cung cấp dịch vụ hỗ trợ"), "x");

  // At a phone's size, in English, the desk still reads.
  await page.setViewportSize(PHONE);
  await click(page, page.locator("header .back button"));
  await click(page, button(page, "Cài đặt"));
  await click(page, page.getByRole("button", { name: "English", exact: true }));
  await click(page, page.locator("header .back button"));
  await click(page, button(page, "Annual report"));
  await page.locator("section.chart li.bar").first().waitFor({ timeout: 60000 });
  assert.equal(await bar("share_with_service").locator("strong.value").textContent(), "suppressed");
  await look(page, "report-en");

  // Quick exit: the file the console kept is gone with the vault's key.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await page.waitForURL(/\/bye$/);
  assert.equal((await context.request.get(`${origin}/download`)).status(), 404);
});
