// Long cell outputs get a button that folds them to a few lines and back.
// (Text outputs taller than LIMIT pixels start folded; short ones and figures are left alone.)
document.addEventListener("DOMContentLoaded", () => {
  const LIMIT = 320;
  const WORDS = {
    en: ["▸ show all output", "▾ fold output"],
    ko: ["▸ 출력 모두 보기", "▾ 출력 접기"],
    zh: ["▸ 显示全部输出", "▾ 折叠输出"],
  };
  const [SHOW, FOLD] = WORDS[(document.documentElement.lang || "en").slice(0, 2)] || WORDS.en;
  document.querySelectorAll("div.cell_output").forEach((out) => {
    if (out.querySelector("img")) return; // figures stay whole
    if (out.scrollHeight <= LIMIT + 40) return;
    out.classList.add("output-collapsible", "output-collapsed");
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
});
