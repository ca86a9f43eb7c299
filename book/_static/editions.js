// Editions: the language switcher keeps the reader's section, and the copy
// buttons speak Korean too (sphinx-copybutton knows zh-CN but not ko).
//
// Every section carries a positional id that is the same in every edition
// (sec-2-1: the page's second section, its first subsection; book/_ext/editions.py),
// so a switcher link to the other edition ends in the id of the section being read.

// sphinx-copybutton keeps its strings in the page-wide `messages` and `locale`.
if (typeof messages !== "undefined" && !messages.ko) {
  messages.ko = {
    copy: "복사",
    copy_to_clipboard: "클립보드에 복사",
    copy_success: "복사했습니다!",
    copy_failure: "복사하지 못했습니다",
  };
  if (document.documentElement.lang === "ko" && typeof locale !== "undefined") locale = "ko";
}

document.addEventListener("DOMContentLoaded", () => {
  // The copy icon's tooltip was written before this file could change the language.
  if (typeof messages !== "undefined" && typeof locale !== "undefined" && locale !== "en") {
    document.querySelectorAll(".copybtn svg title").forEach((t) => {
      t.textContent = messages[locale].copy_to_clipboard;
    });
  }
  const links = Array.from(document.querySelectorAll("nav.edition-switcher a[data-page]"));
  if (!links.length) return;
  const marks = Array.from(document.querySelectorAll('[id^="sec-"]')).filter((e) => /^sec(-\d+)+$/.test(e.id));
  const sectionOf = (mark) => (mark.tagName === "SECTION" ? mark : mark.closest("section")) || mark;

  // The deepest section whose heading has scrolled to the upper part of the window,
  // or the one holding the element the address points at (just after a jump).
  const current = () => {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    let found = null;
    const limit = Math.min(120, window.innerHeight / 4);
    for (const mark of marks) {
      const section = sectionOf(mark);
      if (section.getBoundingClientRect().top <= limit) found = mark;
    }
    if (target && !found) {
      const holder = target.closest("section");
      found = marks.find((m) => sectionOf(m) === holder) || null;
    }
    return found && found.id !== "sec-1" ? found.id : "";
  };
  let pending = false;
  const update = () => {
    pending = false;
    const id = current();
    for (const a of links) a.setAttribute("href", a.dataset.page + (id ? "#" + id : ""));
  };
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(update);
    }
  };
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("hashchange", schedule);
  for (const a of links) {
    a.addEventListener("pointerdown", update);
    a.addEventListener("focus", update);
  }
  update();
});
