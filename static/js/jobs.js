// An import's progress, polled while it runs; the page reloads once it has finished so the
// server says how it ended. No inline script: the CSP forbids it.
(function () {
  "use strict";
  const box = document.querySelector("[data-job]");
  if (!box) return;
  const done = box.querySelector("[data-test=job-done]");
  const written = box.querySelector("[data-test=job-written]");
  const bar = box.querySelector("[data-test=job-bar]");
  const format = new Intl.NumberFormat(document.documentElement.lang);
  let last = box.dataset.status;

  async function poll() {
    try {
      const response = await fetch(box.dataset.job, { credentials: "same-origin" });
      if (response.ok) {
        const job = await response.json();
        done.textContent = format.format(job.done);
        written.textContent = format.format(job.written);
        bar.style.width = (job.total ? Math.round(100 * job.done / job.total) : 100) + "%";
        const finished = job.status !== "queued" && job.status !== "running";
        if (finished && job.status !== last) { location.reload(); return; }
      }
    } catch (error) { /* the network went: try again */ }
    setTimeout(poll, 1000);
  }
  if (last === "queued" || last === "running") poll();
})();
