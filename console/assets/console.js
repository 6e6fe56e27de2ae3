// Bình An console: sends what the person did and draws what the core
// answers. Nothing is decided here: every form posts an event, every answer
// replaces <main>. Without this script every form still works (post,
// redirect, get). No storage, no cookies read, no third-party code.
"use strict";
(() => {
  const app = () => document.getElementById("app");
  let tick = null;
  let lastEscape = 0;
  let drawn = 0;

  const leave = () => location.replace("/bye");

  const swap = (html) => {
    const focused = document.activeElement && document.activeElement.id;
    const holder = document.createElement("template");
    holder.innerHTML = html;
    const next = holder.content.firstElementChild;
    if (!next) return;
    app().replaceWith(next);
    // How many answers were drawn (tests wait on it).
    document.documentElement.dataset.drawn = String(++drawn);
    if (focused) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
    settle();
  };

  const post = async (body) => {
    let answer;
    try {
      answer = await fetch("/event", {
        method: "POST",
        body: new URLSearchParams(body),
        headers: { "x-binhan-fetch": "1" },
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (_) {
      return;
    }
    if (answer.headers.get("x-binhan-exit")) return leave();
    if (answer.status === 401 || answer.status === 403) return leave();
    if (answer.ok) swap(await answer.text());
  };

  const send = (event) => post({ event: JSON.stringify(event) });

  // The core asks for a location: the browser is asked, once.
  const locate = () => {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      (p) => send({
        type: "located",
        lat_e6: Math.round(p.coords.latitude * 1e6),
        lon_e6: Math.round(p.coords.longitude * 1e6),
      }),
      () => {},
      { maximumAge: 60000, timeout: 20000 },
    );
  };

  // After each drawing: the next tick (idle lock, countdowns) and effects.
  const settle = () => {
    clearTimeout(tick);
    const main = app();
    const ms = Number(main.dataset.tick || 0);
    if (ms > 0) tick = setTimeout(() => send({ type: "tick" }), ms);
    if (main.hasAttribute("data-locate")) locate();
    // The core asked to save a file: the browser downloads it, once.
    const download = document.getElementById("download");
    if (main.hasAttribute("data-download") && download) download.click();
  };

  // A background job moved on: draw again.
  const wait = async () => {
    for (;;) {
      const generation = app().dataset.generation || "0";
      try {
        const answer = await fetch("/wait?generation=" + encodeURIComponent(generation), {
          credentials: "same-origin",
          cache: "no-store",
        });
        if (answer.status === 401 || answer.status === 403) return leave();
        if (answer.headers.get("x-binhan-exit")) return leave();
        if (answer.status === 200) swap(await answer.text());
      } catch (_) {
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  };

  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (!form.matches("form[data-send]")) return;
    e.preventDefault();
    post(new FormData(form));
  });

  // A typed field is sent when it changes (on leaving it, or Enter).
  document.addEventListener("change", (e) => {
    const field = e.target;
    if (field.matches("[data-live]") && field.form) post(new FormData(field.form));
  });

  // Quick exit: Escape twice.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    const now = Date.now();
    if (now - lastEscape < 1500) send({ type: "quick_exit" });
    lastEscape = now;
  });

  // Coming back to a page the browser kept: start again from the server.
  window.addEventListener("pageshow", (e) => {
    if (e.persisted) location.reload();
  });

  settle();
  wait();
})();
