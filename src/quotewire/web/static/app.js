// Click a quote (in the article or the speaker panel) to see its type, cue and confidence.
// Details come from a <template> rendered and escaped on the server; nothing is built from text.
(function () {
  const detail = document.getElementById("detail");
  const details = document.getElementById("quote-details");
  if (!detail || !details) return;
  function show(index) {
    const entry = details.content.querySelector('dl[data-quote="' + index + '"]');
    if (!entry) return;
    detail.replaceChildren(entry.cloneNode(true));
    detail.hidden = false;
    document.querySelectorAll(".article .selected").forEach((el) => el.classList.remove("selected"));
    document.querySelectorAll('.article [data-quote="' + index + '"]').forEach((el) => el.classList.add("selected"));
  }
  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-quote]");
    if (!target || !target.closest(".article, .panel")) return;
    event.preventDefault();
    show(target.dataset.quote);
  });
})();
