// Small enhancements; every page works without them.
(function () {
  "use strict";

  // Attachments: drop files on a drop zone to add them to its file input.
  function setupDropzones() {
    document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      var list = zone.querySelector("[data-file-list]");
      if (!input) return;
      function show() {
        if (!list) return;
        list.textContent = "";
        Array.prototype.forEach.call(input.files, function (f) {
          var li = document.createElement("li");
          li.textContent = f.name + " (" + Math.ceil(f.size / 1024) + " KB)";
          list.appendChild(li);
        });
      }
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("dragover"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("dragover"); });
      });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        if (!e.dataTransfer || !e.dataTransfer.files.length) return;
        var merged = new DataTransfer();
        Array.prototype.forEach.call(input.files, function (f) { merged.items.add(f); });
        Array.prototype.forEach.call(e.dataTransfer.files, function (f) { merged.items.add(f); });
        input.files = merged.files;
        show();
      });
      input.addEventListener("change", show);
    });
  }

  // Queues: j/k move between rows, Enter opens, / focuses the search box.
  function setupKeyboardQueue() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-queue-row]"));
    if (!rows.length) return;
    var index = -1;
    function focusRow(i) {
      index = Math.max(0, Math.min(rows.length - 1, i));
      var link = rows[index].querySelector("a");
      if (link) link.focus();
    }
    document.addEventListener("keydown", function (e) {
      var tag = (e.target && e.target.tagName) || "";
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "j") { e.preventDefault(); focusRow(index + 1); }
      else if (e.key === "k") { e.preventDefault(); focusRow(index - 1); }
      else if (e.key === "/") {
        var search = document.querySelector("[data-queue-search]");
        if (search) { e.preventDefault(); search.focus(); }
      }
    });
  }

  function init() {
    setupDropzones();
    setupKeyboardQueue();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
