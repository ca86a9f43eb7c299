// Long cell outputs get a button that folds them to a few lines and back.
// Text outputs taller than LIMIT pixels start folded; short ones and figures are
// left alone, and so are the outputs of cells tagged `full-output` (an output the
// text discusses line by line). A cell that fails on purpose (tagged
// `raises-exception`) folds to its end instead, so that the error's message, the
// point of the cell, shows without a click: the fold keeps the last lines, from
// the line that names the exception ("ValueError: ...") down.
document.addEventListener("DOMContentLoaded", () => {
  const LIMIT = 320;
  const WORDS = {
    en: ["▸ show all output", "▾ fold output"],
    ko: ["▸ 출력 모두 보기", "▾ 출력 접기"],
    zh: ["▸ 显示全部输出", "▾ 折叠输出"],
  };
  const [SHOW, FOLD] = WORDS[(document.documentElement.lang || "en").slice(0, 2)] || WORDS.en;
  // The line that starts the exception's message: "ValueError: ...", "KeyError", ...
  const MESSAGE = /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b(:.*)?$/gm;

  // Where the message starts in a traceback's <pre>, as a collapsed Range.
  const messageStart = (pre) => {
    const text = pre.textContent;
    let at = -1;
    for (const m of text.matchAll(MESSAGE)) at = m.index;
    if (at < 0) return null;
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(), seen = 0; n; n = walker.nextNode()) {
      if (seen + n.length > at) {
        const range = document.createRange();
        range.setStart(n, at - seen);
        range.setEnd(n, Math.min(n.length, at - seen + 1));
        return range;
      }
      seen += n.length;
    }
    return null;
  };

  const tails = [];
  // A folded error shows everything from its message down (and at least LIMIT px).
  const fitTail = ({ out, start }) => {
    const top = start.getBoundingClientRect().top;
    const bottom = out.getBoundingClientRect().bottom;
    // Room above the message for the fade (3em in book.css) and a line more.
    const room = 4.5 * parseFloat(getComputedStyle(out).fontSize);
    out.style.setProperty("--fold-height", `${Math.max(LIMIT, Math.ceil(bottom - top + room))}px`);
  };

  document.querySelectorAll("div.cell_output").forEach((out) => {
    if (out.querySelector("img")) return; // figures stay whole
    const cell = out.closest("div.cell");
    if (cell && cell.classList.contains("tag_full-output")) return;
    if (out.scrollHeight <= LIMIT + 40) return;
    const pre = cell && cell.classList.contains("tag_raises-exception")
      && out.querySelector(".output.traceback pre");
    const start = pre && messageStart(pre);
    out.classList.add("output-collapsible", "output-collapsed");
    if (start) {
      out.classList.add("output-tail");
      tails.push({ out, start });
      fitTail(tails[tails.length - 1]);
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "output-toggle";
    const label = () => (out.classList.contains("output-collapsed") ? SHOW : FOLD);
    button.textContent = label();
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => {
      out.classList.toggle("output-collapsed");
      button.textContent = label();
      button.setAttribute("aria-expanded", String(!out.classList.contains("output-collapsed")));
    });
    out.parentNode.insertBefore(button, out.nextSibling);
  });
  // Lines wrap differently at another width: the message may take more lines.
  if (tails.length) {
    window.addEventListener("resize", () => tails.forEach(fitTail));
    if (document.fonts) document.fonts.ready.then(() => tails.forEach(fitTail));
  }
});
