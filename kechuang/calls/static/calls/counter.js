// Live character counts under each section's textarea, counted as the server counts them
// (line breaks as one character), turning red over the section's limit.
document.querySelectorAll(".calls-counter").forEach(function (out) {
  var area = document.getElementById(out.dataset.for);
  if (!area) return;
  var max = parseInt(area.dataset.max, 10);
  var update = function () {
    var n = area.value.replace(/\r\n/g, "\n").trim().length;
    out.textContent = n.toLocaleString() + " / " + max.toLocaleString();
    out.classList.toggle("over", n > max);
  };
  area.addEventListener("input", update);
  update();
});
