// The console's guard: token, session cookie, Origin, headers, malformed
// events (harness: harness.mjs). All synthetic.
import assert from "node:assert/strict";
import { console_, test } from "./harness.mjs";

test("requests without the session, with another origin or a used token are refused", async () => {
  const { url, origin } = await console_("guarded");
  const open = await fetch(url, { redirect: "manual" });
  assert.equal(open.status, 303);
  const cookie = open.headers.get("set-cookie").split(";")[0];
  assert.equal((await fetch(url, { redirect: "manual" })).status, 403, "the token is good once");
  assert.equal((await fetch(`${origin}/`)).status, 401, "no cookie");
  const body = new URLSearchParams({ event: JSON.stringify({ type: "tick" }) });
  const post = (headers) => fetch(`${origin}/event`, { method: "POST", body, headers: { cookie, ...headers }, redirect: "manual" });
  assert.equal((await post({})).status, 403, "no origin");
  const other = `http://127.0.0.1:${Number(new URL(origin).port) + 1}`;
  assert.equal((await post({ origin: other })).status, 403, "a page on another port");
  assert.equal((await post({ origin: "https://evil.example" })).status, 403);
  assert.equal((await post({ origin })).status, 303, "the console's own page");
  const page = await fetch(`${origin}/`, { headers: { cookie } });
  assert.match(page.headers.get("content-security-policy"), /default-src 'none'/);
  assert.equal(page.headers.get("cache-control"), "no-store");
  const bad = await post({ origin, "content-type": "application/x-www-form-urlencoded" }).then(() =>
    fetch(`${origin}/event`, { method: "POST", body: "event=%7Bnot json", headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" } }));
  assert.equal(bad.status, 400, "a malformed event is refused without an echo");
  assert.ok(!(await bad.text()).includes("not json"));
});
