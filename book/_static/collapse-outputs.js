// Long cell outputs get a button that folds them to a few lines and back.
// (Text outputs taller than LIMIT pixels start folded; short ones and figures are left alone.)
document.addEventListener("DOMContentLoaded", () => {
  const LIMIT = 320;
  document.querySelectorAll("div.cell_output").forEach((out) => {
    if (out.querySelector("img")) return; // figures stay whole
    if (out.scrollHeight <= LIMIT + 40) return;
    out.classList.add("output-collapsible", "output-collapsed");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "output-toggle";
    const label = () => (out.classList.contains("output-collapsed") ? "▸ show all output" : "▾ fold output");
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
